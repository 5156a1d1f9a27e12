import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGenerationRequest, jsonInstance } from "../../test-support/fake-ollama/index.js";
import type { RecordedCall } from "../../test-support/fake-slack/index.js";
import { type SlackWorld, startSlackWorld } from "./slack-world.js";

// Security and bad input on Slack (issue 6): a question over the preset's limit is refused
// privately before any council starts, from a mention and from /council; and hostile model
// output (Slack's own mention and link markup, Markdown link tricks, a fence break) is escaped
// in the card, the thread details and the final answer. The test council's presets keep the
// default limit of 4000 characters.

const LIMIT = 4000;
const after = (mark: number) => (predicate: (call: RecordedCall) => boolean) => (call: RecordedCall) => call.id > mark && predicate(call);
const isFinal = (call: RecordedCall) => call.method === "chat.update" && call.ok === true && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));
/** Everything of a message Slack would render or notify with: the fallback text and the blocks. */
const shown = (call: RecordedCall) => `${String(call.args.text ?? "")}\n${JSON.stringify(call.args.blocks ?? [])}`;
/** Chat requests that ask a model something (a preload is a chat without messages). */
const asks = (world: SlackWorld) =>
  world.council.fake.requests.filter((request) => request.path === "/api/chat" && ((request.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0).length;
const posts = (calls: readonly RecordedCall[]) => calls.filter((call) => call.method === "chat.postMessage" || call.method === "chat.update");

let world: SlackWorld;
beforeAll(async () => {
  world = await startSlackWorld();
});
afterAll(() => world.close());

describe("a question over the length limit", () => {
  it("from a mention: an ephemeral refusal naming the limit, nothing in the channel, no council", async () => {
    const { slack } = world;
    const mark = slack.calls.length;
    const asked = asks(world);
    const mention = slack.appMention({ text: `<@${slack.botUserId}> ${"x".repeat(LIMIT + 1)}` });
    await slack.sendEvent(mention);
    const refusal = await slack.waitForCall(after(mark)((call) => call.method === "chat.postEphemeral"));
    expect(String(refusal.args.text)).toContain(`The question is ${LIMIT + 1} characters long; the limit is ${LIMIT}`);
    expect(refusal.args).toMatchObject({ user: mention.event.user, channel: mention.event.channel, thread_ts: mention.event.ts });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posts(slack.calls.slice(mark))).toEqual([]);
    expect(asks(world)).toBe(asked);
  });

  it("from /council: an ephemeral response naming the limit, no root message, no card, no council", async () => {
    const { slack } = world;
    const mark = slack.calls.length;
    const asked = asks(world);
    await slack.sendSlashCommand({ text: "y".repeat(LIMIT + 1) });
    const response = await slack.waitForResponse((post) => post.command?.command === "/council", 10_000);
    expect(response.responseType).toBe("ephemeral");
    expect(JSON.stringify(response.body)).toContain(`The question is ${LIMIT + 1} characters long; the limit is ${LIMIT}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posts(slack.calls.slice(mark))).toEqual([]);
    expect(asks(world)).toBe(asked);
  });

  it("is accepted at exactly the limit from a mention, and every message about it fits Slack's limits", async () => {
    const { slack } = world;
    const mark = slack.calls.length;
    await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> ${"Why is the sky blue? ".repeat(LIMIT / 20).slice(0, LIMIT)}` }));
    await slack.waitForCall(after(mark)(isFinal), 20_000);
    const mine = posts(slack.calls.slice(mark));
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.filter((call) => call.ok !== true).map((call) => `${call.method}: ${call.error}`)).toEqual([]);
  });

  it("is accepted at exactly the limit from /council, and every message about it fits Slack's limits", async () => {
    const { slack } = world;
    const mark = slack.calls.length;
    await slack.sendSlashCommand({ text: "Why is the sky blue? ".repeat(LIMIT / 20).slice(0, LIMIT) });
    // The council's end, or the first post Slack refused.
    await slack.waitForCall(after(mark)((call) => isFinal(call) || (call.method === "chat.postMessage" && call.ok === false)), 20_000);
    // The fake refuses what Slack would (a section over 3000 characters, 50 blocks, 40,000 of text).
    const mine = posts(slack.calls.slice(mark));
    expect(mine.filter((call) => call.ok !== true).map((call) => `${call.method}: ${call.error} ${JSON.stringify(call.response?.errors ?? "")}`)).toEqual([]);
    expect(mine.length).toBeGreaterThan(3);
  });
});

describe("hostile text", () => {
  const hostile = [
    "<!channel> <!here> <!everyone> <@U0USER001> <!subteam^S0TEAM01> <https://evil.example|raw-slack-link>",
    "[click](https://evil.example) [https://safe.example](https://evil.example) [<!channel>](https://evil.example)",
    "```",
    "a fence opened and never closed <!channel>",
  ].join("\n");
  // Slack's own markup, as a model might write it: none of it may reach Slack unescaped.
  const RAW = /<!channel>|<!here>|<!everyone>|<@U0USER001>|<!subteam|<https:\/\/evil\.example\|raw-slack-link>/;

  it("from the models is escaped in the card, the answers, the ballots and the final answer", async () => {
    const { slack, council } = world;
    const answer = (request: FakeGenerationRequest) => (request.format === undefined ? hostile : hostileBallot(request.format));
    council.fake.setModel("member-a", { answer });
    council.fake.setModel("member-b", { answer });
    council.fake.setModel("member-broken", { answer });
    // The last test of this world: the models stay hostile.
    council.fake.setModel("chair", { answer: hostile });
    const mark = slack.calls.length;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> Is this safe?` });
    await slack.sendEvent(mention);
    await slack.waitForCall(after(mark)(isFinal), 20_000);
    await slack.waitForCall(after(mark)((call) => call.method === "chat.postMessage" && String(call.args.text).startsWith("Answer by")), 10_000);
    const mine = posts(slack.calls.slice(mark)).filter((call) => call.args.thread_ts === mention.event.ts || call.method === "chat.update");

    const card = mine.filter((call) => call.method === "chat.update").map(shown).join("\n");
    const answers = mine.filter((call) => /'s answer$/.test(String(call.args.text))).map(shown).join("\n");
    const ballots = mine.filter((call) => String(call.args.text) === "The ballots").map(shown).join("\n");
    const verdict = mine.filter((call) => call.method === "chat.postMessage" && String(call.args.text).startsWith("Answer by")).map(shown).join("\n");
    for (const [where, text] of Object.entries({ card, answers, ballots, verdict })) {
      // Shown, escaped: Slack displays "<!channel>" and pings no one.
      expect(text, where).toContain("&lt;!channel&gt;");
      expect(text, where).not.toMatch(RAW);
    }
    // A Markdown link becomes a Slack link, masked only by words that cannot pass for another address.
    const all = mine.map(shown).join("\n");
    expect(all).toContain("&lt;https://evil.example|raw-slack-link&gt;");
    expect(all).toContain("<https://evil.example|click>");
    expect(all).toContain("https://safe.example (<https://evil.example>)");
    expect(all).not.toMatch(/<https:\/\/evil\.example\|https:\/\/safe\.example>/);
    // The fence left open stays inside the answer it came from: the ballots are not code.
    expect(ballots).not.toContain("```");
  });

  it("in the question the asker typed is escaped too, also in the card's notification text", async () => {
    const { slack } = world;
    const mark = slack.calls.length;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> <!channel> <!here> is <@U0USER001> right?` });
    await slack.sendEvent(mention);
    await slack.waitForCall(after(mark)(isFinal), 20_000);
    const mine = posts(slack.calls.slice(mark));
    expect(mine.map(shown).join("\n")).toContain("&lt;!channel&gt; &lt;!here&gt; is &lt;@U0USER001&gt; right?");
    for (const call of mine) expect(shown(call), `${call.method} ${String(call.args.text).slice(0, 40)}`).not.toMatch(/<!channel>|<!here>|<@U0USER001>/);
  });
});

/** A valid ballot whose critiques are hostile too: they are model text shown in the thread. */
function hostileBallot(format: unknown): string {
  const ballot = jsonInstance(format) as { critiques?: Record<string, string> };
  for (const label of Object.keys(ballot.critiques ?? {})) {
    if (ballot.critiques) ballot.critiques[label] = "<!channel> <@U0USER001> <https://evil.example|raw-slack-link>";
  }
  return JSON.stringify(ballot);
}
