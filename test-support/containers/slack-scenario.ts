import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type RecordedCall, startFakeSlack } from "../fake-slack/index.js";
import { relay } from "./relay.js";
import { report } from "./report.js";

// The container test's `slack` service: the fake Slack's Web API on port 8080 (the bot's
// SLACK_API_URL), and a user who asks the bot two questions in HTTP mode, the way Slack posts
// events to it. The test follows the reports: after "council-started" of the second question it
// sends the bot SIGTERM, and "council-ended" must still say completed (the drain let it finish).

const SLACK_PORT = 8080;
const BOT_START_MS = 120_000;
const COUNCIL_MS = 180_000;

const botToken = setting("SLACK_BOT_TOKEN");
const signingSecret = setting("SLACK_SIGNING_SECRET");
const eventsUrl = setting("BOT_EVENTS_URL");

const fake = await startFakeSlack({ botToken });
const server = await relay(SLACK_PORT, new URL(fake.url));
process.once("SIGTERM", () => {
  server.close();
  void fake.close().then(() => process.exit(0));
});
report("slack-ready");

// Bolt checks its token when the bot starts; then its events endpoint opens.
await fake.waitForCall("auth.test", BOT_START_MS);
await waitForPort(new URL(eventsUrl), BOT_START_MS);
report("bot-listening");

for (const [council, question] of ["Why is the sky blue?", "Why do leaves turn red in autumn?"].entries()) {
  const mention = fake.appMention({ text: question });
  const delivery = await fake.postSigned(eventsUrl, mention, { signingSecret });
  if (delivery.status !== 200) throw new Error(`the bot answered the event with ${delivery.status}: ${delivery.responseText}`);
  const thread = mention.event.ts;
  const card = await fake.waitForCall((call) => call.method === "chat.postMessage" && call.ok === true && call.args.thread_ts === thread, COUNCIL_MS);
  const cardTs = card.response?.ts;
  report("council-started", { council: council + 1, card: cardTs });
  const final = await fake.waitForCall((call) => call.method === "chat.update" && call.args.ts === cardTs && outcomeOf(call) !== undefined, COUNCIL_MS);
  report("council-ended", { council: council + 1, outcome: outcomeOf(final), text: String(final.args.text ?? "") });
}

function outcomeOf(call: RecordedCall): string | undefined {
  return /Council (completed|interrupted|failed|cancelled)|(Partial) result/.exec(String(call.args.text ?? ""))?.slice(1).find(Boolean)?.toLowerCase();
}

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`slack-scenario: ${name} is not set (the test's compose override sets it)`);
  return value;
}

async function waitForPort(url: URL, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(url))) {
    if (Date.now() > deadline) throw new Error(`nothing listens at ${url.host} after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

function accepts(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
