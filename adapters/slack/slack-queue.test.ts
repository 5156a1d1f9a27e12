import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-slack/index.js";
import { type SlackWorld, startSlackWorld } from "./slack-world.js";

// Beyond COUNCIL_MAX_IN_FLIGHT, a mention's card says it waits and how many start before it;
// over a user's limit, the answer is an ephemeral message that says when to ask again.

const isFinal = (call: RecordedCall) => call.method === "chat.update" && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));

describe("waiting councils on Slack", () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ maxInFlight: 1, decodeTokensPerSecond: 40, env: { COUNCIL_USER_QUEUE: "0" } });
  });
  afterAll(() => world.close());

  it("shows a waiting council's place on its card, refuses a user over their limit privately, and answers both", async () => {
    const { slack } = world;
    const first = slack.appMention({ text: "First question?", user: "U0USER001" });
    await slack.sendEvent(first);
    await expect.poll(() => world.councils.inFlight()).toBe(1);
    const second = slack.appMention({ text: "Second question?", user: "U0ADMIN01" });
    await slack.sendEvent(second);
    const third = slack.appMention({ text: "Third question?", user: "U0USER001" });
    await slack.sendEvent(third);

    const waitingCard = await slack.waitForCall((call) => call.method === "chat.update" && String(call.args.text).includes("Waiting for a free seat · you are next"), 10_000);
    const cardOfSecond = slack.callsTo("chat.postMessage").find((call) => call.args.thread_ts === second.event.ts);
    expect(waitingCard.args.ts).toBe((cardOfSecond?.response as { ts: string }).ts);

    await expect.poll(() => slack.ephemerals.filter((message) => message.user === "U0USER001").map((message) => message.text), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/^You already have questions waiting for the council\. Ask this one once one of them is answered, in about \d/),
    ]);
    expect(slack.callsTo("chat.postMessage").filter((call) => call.args.thread_ts === third.event.ts)).toEqual([]);

    await slack.waitForCall((call) => isFinal(call) && call.args.ts === waitingCard.args.ts, 30_000);
    // The default preset seats a member whose model fails: partial, not completed.
    expect(world.store.recent(5).map((record) => [record.question, record.status])).toEqual([
      ["Second question?", "partial"],
      ["First question?", "partial"],
    ]);
  });
});
