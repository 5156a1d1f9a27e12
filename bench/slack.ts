import { startSlackWorld } from "../adapters/slack/slack-world.js";
import { CARD_UPDATE_INTERVAL_MS, WORKSPACE_UPDATES_PER_MINUTE } from "../adapters/slack/slack-bot.js";
import type { RecordedCall } from "../test-support/fake-slack/index.js";
import { formatMs, percentile } from "./stats.js";

// The Slack adapter under a burst: 20 @council mentions at once in one workspace, in Socket
// Mode, against the fake Slack enforcing Tier 3 on chat.update (50 a minute per workspace),
// with the bot's real budget (45 a minute per workspace, a card at most once a second) and the
// real core in front of the fake Ollama (40 tok/s).
// Prints: ack latency p50/p99 (target p99 <= 250 ms), chat.update calls per council, and the
// 429s earned (target 0).

const COUNCILS = 20;
const isFinal = (call: RecordedCall) => call.method === "chat.update" && call.ok === true && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));

async function main(): Promise<void> {
  // One asker sends the burst: the per-user fairness limits are lifted, as this measures the
  // workspace's edit budget, not the queue (npm run bench:load does).
  const fairness = { COUNCIL_USER_QUEUE: String(COUNCILS), COUNCIL_USER_PER_HOUR: "0" };
  const world = await startSlackWorld({ minEditIntervalMs: CARD_UPDATE_INTERVAL_MS, maxInFlight: COUNCILS, decodeTokensPerSecond: 40, env: fairness });
  try {
    const { slack } = world;
    const cardOf = (threadTs: string) =>
      (slack.calls.find((call) => call.method === "chat.postMessage" && call.args.thread_ts === threadTs)?.response as { ts?: string } | undefined)?.ts;

    const solo = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
    await slack.sendEvent(solo);
    await slack.waitForCall((call) => isFinal(call) && call.args.ts === cardOf(solo.event.ts), 120_000);
    const soloUpdates = slack.callsTo("chat.update").filter((call) => call.args.ts === cardOf(solo.event.ts)).length;
    const soloHits = slack.rateLimitHits;
    while (world.councils.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 50));

    const startedAt = performance.now();
    const mentions = Array.from({ length: COUNCILS }, (_, i) => slack.appMention({ text: `<@${slack.botUserId}> Question ${i + 1}: why is the sky blue?`, user: "U0USER001" }));
    const envelopes = await Promise.all(mentions.map((mention) => slack.sendEvent(mention)));
    await Promise.all(mentions.map((mention) => slack.waitForCall((call) => isFinal(call) && call.args.ts === cardOf(mention.event.ts), 600_000)));
    const wallMs = performance.now() - startedAt;

    const ackLatencies = envelopes.map((envelope) => slack.acks.find((ack) => ack.envelopeId === envelope.envelopeId)?.latencyMs ?? Number.NaN);
    const updates = mentions.map((mention) => slack.callsTo("chat.update").filter((call) => call.args.ts === cardOf(mention.event.ts)).length);
    console.log(`Slack burst: ${COUNCILS} mentions at once in one workspace (Socket Mode); fake Tier 3 on chat.update (50 a minute per workspace); bot budget ${WORKSPACE_UPDATES_PER_MINUTE} a minute, a card at most every ${CARD_UPDATE_INTERVAL_MS} ms\n`);
    console.log(`ack latency: p50 ${formatMs(percentile(ackLatencies, 50))}, p99 ${formatMs(percentile(ackLatencies, 99))} (target p99 <= 250 ms)`);
    console.log(`chat.update calls for one council alone (trio preset): ${soloUpdates}, 429s: ${soloHits}`);
    console.log(`chat.update calls per council in the burst: min ${Math.min(...updates)}, median ${percentile(updates, 50)}, max ${Math.max(...updates)}`);
    console.log(`429s from Slack during the burst: ${slack.rateLimitHits - soloHits} (target 0)`);
    console.log(`final cards delivered: ${COUNCILS} of ${COUNCILS}; all councils shown within ${(wallMs / 1000).toFixed(1)} s`);
  } finally {
    await world.close();
  }
}

await main();
