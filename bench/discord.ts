import { CARD_EDIT_INTERVAL_MS, CHANNEL_EDIT_INTERVAL_MS } from "../adapters/discord/discord-bot.js";
import { startDiscordWorld } from "../adapters/discord/discord-world.js";
import { isCardEdit, isFinalCard } from "../adapters/discord/discord-world.js";
import { formatMs, percentile } from "./stats.js";

// The Discord adapter under a burst: 20 /council commands at once in one channel, against the
// fake Discord with Discord's observed edit limit (5 per 5 s per channel, not advertised in
// headers, as on Discord), the bot's real intervals (a card edited at most once a second, one
// edit every 1.25 s per channel), and the real core in front of the fake Ollama (40 tok/s).
// Prints: time from INTERACTION_CREATE to the acknowledgement (p50/p99; Discord allows 3 s),
// edits per council, and the 429s the bot earned (target 0).

const COUNCILS = 20;

async function main(): Promise<void> {
  const world = await startDiscordWorld({
    edits: { limit: 5, windowMs: 5_000 },
    minEditIntervalMs: CARD_EDIT_INTERVAL_MS,
    channelEditIntervalMs: CHANNEL_EDIT_INTERVAL_MS,
    maxInFlight: COUNCILS,
    decodeTokensPerSecond: 40,
  });
  try {
    const { discord } = world;
    const solo = await world.ask("Why is the sky blue?", { preset: "trio", user: "999" });
    await discord.waitForCall((call) => isFinalCard(call) && belongsTo(call, solo.token, discord), 120_000);
    const soloEdits = discord.calls.filter((call) => isCardEdit(call) && belongsTo(call, solo.token, discord)).length;
    const soloHits = discord.rateLimitHits;
    // The burst needs every one of the gate's places: wait until the solo council has left it.
    while (world.councils.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 50));

    const startedAt = performance.now();
    const interactions = await Promise.all(Array.from({ length: COUNCILS }, (_, i) => world.ask(`Question number ${i + 1}: why is the sky blue?`, { preset: "pair", user: String(1000 + i) })));
    const finals = await Promise.all(
      interactions.map((interaction) => discord.waitForCall((call) => isFinalCard(call) && belongsTo(call, interaction.token, discord), 300_000)),
    );
    const wallMs = performance.now() - startedAt;

    const acks = interactions.map((interaction) => {
      const record = discord.interaction(interaction.id);
      return (record?.ack?.at ?? Number.NaN) - (record?.dispatchedAt ?? record?.createdAt ?? Number.NaN);
    });
    const edits = interactions.map((interaction) => discord.calls.filter((call) => isCardEdit(call) && belongsTo(call, interaction.token, discord)).length);
    console.log(`Discord burst: ${COUNCILS} /council at once in one channel; fake Discord edit limit 5 per 5 s per channel; a card edited at most every ${CARD_EDIT_INTERVAL_MS} ms, a channel every ${CHANNEL_EDIT_INTERVAL_MS} ms\n`);
    console.log(`acknowledgement (defer) after INTERACTION_CREATE: p50 ${formatMs(percentile(acks, 50))}, p99 ${formatMs(percentile(acks, 99))}, max ${formatMs(Math.max(...acks))} (target p99 <= 250 ms)`);
    console.log(`card edits for one council alone (trio preset): ${soloEdits}, 429s: ${soloHits}`);
    console.log(`card edits per council in the burst: min ${Math.min(...edits)}, median ${percentile(edits, 50)}, max ${Math.max(...edits)} (the first card and the final one included)`);
    console.log(`429s from Discord during the burst: ${discord.rateLimitHits - soloHits} (target 0)`);
    console.log(`final cards delivered: ${finals.length} of ${COUNCILS}; all councils shown within ${(wallMs / 1000).toFixed(1)} s`);
  } finally {
    await world.close();
  }
}

/** A card edit of this interaction: through its token, or, past it, of the message it became. */
function belongsTo(call: { path: string; params: Readonly<Record<string, string>> }, token: string, discord: Awaited<ReturnType<typeof startDiscordWorld>>["discord"]): boolean {
  if (call.path.includes(token)) return true;
  const original = [...discord.calls].find((candidate) => candidate.route === "editOriginal" && candidate.path.includes(token))?.response as { id?: string } | undefined;
  return original?.id !== undefined && call.params.messageId === original.id;
}

await main();
