import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-discord/index.js";
import { cardDescription, type DiscordWorld, isCardEdit, startDiscordWorld } from "./discord-world.js";

// Councils beyond COUNCIL_MAX_IN_FLIGHT wait their turn, and their card says how many start
// before them; the limits refuse privately, saying when to come back.

const contentOf = (call: RecordedCall) => String((call.body as { data?: { content?: string } } | undefined)?.data?.content ?? "");

describe("waiting councils on Discord", () => {
  let world: DiscordWorld;
  beforeAll(async () => {
    world = await startDiscordWorld({ maxInFlight: 1, decodeTokensPerSecond: 40, env: { COUNCIL_USER_QUEUE: "1" } });
  });
  afterAll(() => world.close());

  it("shows each waiting council its place, counting down, and runs them all", async () => {
    const { discord } = world;
    const asked: Array<Awaited<ReturnType<DiscordWorld["ask"]>>> = [];
    for (const user of ["101", "102", "103"]) asked.push(await world.ask(`Question from ${user}?`, { preset: "pair", user }));
    const last = asked[2];
    if (!last) throw new Error("no interaction");
    const cardsOfLast = () => discord.calls.filter((call) => call.path.includes(last.token) && isCardEdit(call)).map(cardDescription);
    await expect.poll(cardsOfLast, { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringContaining("Waiting for a free seat · 1 ahead of you")]));
    await expect.poll(cardsOfLast, { timeout: 30_000 }).toEqual(expect.arrayContaining([expect.stringContaining("Waiting for a free seat · you are next")]));
    await expect.poll(() => cardsOfLast().at(-1) ?? "", { timeout: 30_000 }).toMatch(/^\*\*Council completed/);
    const secondCards = discord.calls.filter((call) => call.path.includes(asked[1]?.token ?? "-") && isCardEdit(call)).map(cardDescription);
    expect(secondCards.some((text) => text.includes("you are next"))).toBe(true);
    expect(world.store.recent(3).map((record) => record.status)).toEqual(["completed", "completed", "completed"]);
  });

  it("refuses, privately and with a time, a user whose waiting questions are at the limit", async () => {
    const { discord } = world;
    await world.ask("Running?", { preset: "pair", user: "201" });
    await world.ask("Waiting?", { preset: "pair", user: "201" });
    const third = await world.ask("One too many?", { preset: "pair", user: "201" });
    const refusal = await discord.waitForCall((call) => call.route === "interactionCallback" && call.path.includes(third.id));
    expect(refusal.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(contentOf(refusal)).toMatch(/^You already have questions waiting for the council\. Ask this one once one of them is answered, in about \d/);
    expect(world.store.recent(5).filter((record) => record.question === "One too many?")).toEqual([]);
    await expect.poll(() => world.councils.inFlight() + world.councils.waiting(), { timeout: 30_000 }).toBe(0);
  });
});
