import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOllama, startFakeOllama } from "../../test-support/fake-ollama/index.js";
import { startWorker } from "../../test-support/start-worker.js";
import type { CouncilRecord } from "../../src/store/council-record.js";
import {
  askAndFollow,
  caseTimeoutMs,
  CHAIR_ERROR,
  COUNCIL_DEADLINE_MS,
  CRASH_ERROR,
  deadUrl,
  type FaultWorld,
  type FollowedCouncil,
  killWorker,
  MID_STREAM_ERROR,
  startFaultWorld,
} from "./fault-helpers.js";

// Issue 6's fault-injection suite, the LLM side: the real Discord bot, core and council service
// through a real worker in front of the fake Ollama, one fault per case. Each case asserts
// four things: (1) the final card says what happened, naming the member, the worker or the fix;
// (2) the final card arrives within the sum of the preset's stage deadlines (plus delivery),
// so nothing hangs; (3) the council was shown once: one deferred reply turned card, one thread,
// at most one final answer in it, nothing posted twice; (4) the stored record has the status
// and the fields that explain it.

/** (3): one card, one thread, each answer and the final answer posted once, one record. */
function expectShownOnce(run: FollowedCouncil, record: CouncilRecord) {
  expect(run.acks.map((call) => call.body)).toEqual([{ type: 5, data: {} }]);
  expect(run.followUps).toEqual([]);
  expect(run.cards).toHaveLength(1);
  // The card Discord holds is the final one: no later edit took it back to an earlier state.
  expect((run.cardNow?.embeds[0] as { description?: string } | undefined)?.description).toBe(run.finalText);
  // Sending the final state again is harmless; sending a different end is not.
  expect(new Set(run.finalTexts)).toEqual(new Set([run.finalText]));
  expect(run.threads).toHaveLength(1);
  for (const member of record.members) {
    const posts = run.threadPosts.filter((post) => post.startsWith(`**${member.name}**`));
    expect(posts, `${member.name}'s answer in the thread`).toHaveLength(member.status === "answered" ? 1 : 0);
  }
  const answers = run.threadPosts.filter((post) => post.startsWith("**Answer"));
  expect(answers).toHaveLength(record.verdict ? 1 : 0);
  expect(run.records).toHaveLength(1);
}

/** (2): within the bound; askAndFollow has already failed if the card came later. */
function expectNoHang(run: FollowedCouncil) {
  expect(run.elapsedMs).toBeLessThan(COUNCIL_DEADLINE_MS);
}

function recordOf(run: FollowedCouncil): CouncilRecord {
  expect(run.record).toBeDefined();
  return run.record as CouncilRecord;
}

const memberOf = (record: CouncilRecord, name: string) => record.members.find((member) => member.name === name);
/** The generation requests (not preloads) the fake Ollama got for `model`, after request `afterId`. */
const chatsOf = (fake: FakeOllama, model: string, afterId = 0) =>
  fake.requests.filter(
    (request) => request.id > afterId && request.path === "/api/chat" && request.model === model && ((request.body as { messages?: unknown[] }).messages?.length ?? 0) > 0,
  );
const lastRequestId = (fake: FakeOllama) => fake.requests.at(-1)?.id ?? 0;

describe("LLM faults, one world", () => {
  let world: FaultWorld;
  let workerUrl: string;
  beforeAll(async () => {
    world = await startFaultWorld();
    workerUrl = world.council.worker.url;
  });
  afterAll(() => world?.close());

  it("a member's model not pulled (404): the member fails with the pull command, the others finish", { timeout: caseTimeoutMs(2) }, async () => {
    // Never pulled: the worker's tags do not list it.
    const unpulled = await askAndFollow(world, "Which model is missing?", "unpulled");
    const fix = `model member-unpulled is not installed at ${workerUrl} (WORKER_URLS); run \`ollama pull member-unpulled\` on that machine`;
    expect(unpulled.finalText).toMatch(/^\*\*Partial result in [^:]+: Missing failed: /);
    expect(unpulled.finalText).toContain(`Missing failed: ${fix}**`);
    expect(unpulled.finalText).toContain(`❌ **Missing** · member-unpulled · failed: ${fix}`);
    expect(unpulled.finalText).toContain("**Answer by the chairman (chair)**");
    expectNoHang(unpulled);
    const first = recordOf(unpulled);
    expectShownOnce(unpulled, first);
    expect(first.status).toBe("partial");
    expect(memberOf(first, "Missing")).toMatchObject({ status: "failed", error: { kind: "model-missing", message: fix } });
    expect(first.members.filter((member) => member.status === "answered").map((member) => member.name)).toEqual(["Alpha", "Bravo"]);

    // Listed when the router read the tags, removed since: Ollama itself answers 404.
    world.council.fake.removeModel("member-gone");
    const gone = await askAndFollow(world, "Which model was removed?", "gone");
    expect(chatsOf(world.council.fake, "member-gone").map((request) => request.status)).toEqual([404]);
    expect(gone.finalText).toMatch(/^\*\*Partial result in [^:]+: Gone failed: /);
    expect(gone.finalText).toContain(`Gone failed: model member-gone is not installed at ${workerUrl} (WORKER_URLS); run \`ollama pull member-gone\` on that machine**`);
    expectNoHang(gone);
    const second = recordOf(gone);
    expectShownOnce(gone, second);
    expect(second.status).toBe("partial");
    expect(memberOf(second, "Gone")).toMatchObject({ status: "failed", error: { kind: "model-missing" } });
  });

  it("a member failing with 500: Ollama's message on the card, the council partial", { timeout: caseTimeoutMs() }, async () => {
    const run = await askAndFollow(world, "What does a crash look like?", "crash");
    const why = `${workerUrl}: HTTP 500: ${CRASH_ERROR}`;
    expect(run.finalText).toMatch(/^\*\*Partial result in [^:]+: Crash failed: /);
    expect(run.finalText).toContain(`❌ **Crash** · member-crash · failed: ${why}`);
    expect(run.finalText).toContain("**Answer by the chairman (chair)**");
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("partial");
    expect(record.reason).toBe(`Crash failed: ${why}`);
    expect(memberOf(record, "Crash")).toMatchObject({ status: "failed", error: { kind: "bad-response", message: why } });
    expect(record.verdict?.by).toEqual({ kind: "chairman", model: "chair" });
    // A 500 is the model's answer, not the worker's state: asked once, not retried.
    expect(chatsOf(world.council.fake, "member-crash").map((request) => request.status)).toEqual([500]);
  });

  it("a member hanging: its call ends at callTimeoutSeconds, the council goes on without it", { timeout: caseTimeoutMs() }, async () => {
    const run = await askAndFollow(world, "Who never answers?", "hang");
    expect(run.finalText).toMatch(/^\*\*Partial result in [^:]+: Sleeper failed: member-hang did not finish within 2 s\*\*/);
    expect(run.finalText).toContain("❌ **Sleeper** · member-hang · failed: member-hang did not finish within 2 s");
    expect(run.finalText).toContain("**Answer by the chairman (chair)**");
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("partial");
    expect(memberOf(record, "Sleeper")).toMatchObject({ status: "failed", error: { kind: "timeout", message: "member-hang did not finish within 2 s" } });
    // The hung request was hung up on, so its slot on PC2 is free again.
    const [hung] = chatsOf(world.council.fake, "member-hang");
    expect(hung).toBeDefined();
    expect((await world.council.fake.waitForSettled(hung?.id ?? -1)).aborted).toBe(true);
  });

  it("an error line mid-stream: the member fails with Ollama's error, not with its half answer", { timeout: caseTimeoutMs() }, async () => {
    const run = await askAndFollow(world, "What breaks mid-answer?", "cut");
    const why = `${workerUrl}: ${MID_STREAM_ERROR}`;
    expect(run.finalText).toMatch(/^\*\*Partial result in [^:]+: Cutoff failed: /);
    expect(run.finalText).toContain(`❌ **Cutoff** · member-cut · failed: ${why}`);
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("partial");
    expect(memberOf(record, "Cutoff")).toEqual({ name: "Cutoff", model: "member-cut", status: "failed", error: { kind: "bad-response", message: why } });
    // The four tokens it streamed before the error are not taken for an answer anywhere.
    expect(run.threadPosts.some((post) => post.includes("member-cut answers"))).toBe(false);
    expect(chatsOf(world.council.fake, "member-cut").map((request) => [request.status, request.completionTokens])).toEqual([[200, 4]]);
  });

  it("a reviewer returning garbage JSON twice: it abstains after one repair, the council completes", { timeout: caseTimeoutMs() }, async () => {
    const run = await askAndFollow(world, "Who cannot write JSON?", "garbled");
    expect(run.finalText).toMatch(/^\*\*Council completed in /);
    expect(run.finalText).toContain("✅ **Garbler** · member-garbled · answered");
    const fields = (run.final.body as { embeds: Array<{ fields?: Array<{ name: string; value: string }> }> }).embeds[0]?.fields ?? [];
    expect(fields[0]?.name).toBe("Ranking · 3 ballots");
    expect(fields[0]?.value).toContain("1 abstained");
    const ballotPost = run.threadPosts.find((post) => post.includes("🗳️ **Garbler**"));
    expect(ballotPost).toContain("🗳️ **Garbler** abstained: invalid ballot twice: it is not JSON");
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("completed");
    expect(record.ballots).toHaveLength(3);
    expect(record.ballots.find((ballot) => ballot.reviewer === "Garbler")).toMatchObject({
      abstained: true,
      reason: expect.stringMatching(/^invalid ballot twice: it is not JSON/),
      ranking: [],
    });
    expect(record.ballots.filter((ballot) => ballot.reviewer !== "Garbler").every((ballot) => !ballot.abstained)).toBe(true);
    // The ranking counts the two valid ballots only, and still ranks all three answers.
    expect(record.ranking?.rows.map((row) => row.member).sort()).toEqual(["Alpha", "Bravo", "Garbler"]);
    // Exactly one repair: the ballot was asked for twice, with `format` both times.
    const ballots = chatsOf(world.council.fake, "member-garbled").filter((request) => request.format !== undefined);
    expect(ballots).toHaveLength(2);
  });

  it("chairman failure: the top-ranked answer stands, labelled so, and the council is partial", { timeout: caseTimeoutMs() }, async () => {
    const run = await askAndFollow(world, "What if the chairman falls?", "chair-fails");
    const why = `${world.council.config.CHAIRMAN_URL}: HTTP 500: ${CHAIR_ERROR}`;
    expect(run.finalText).toMatch(/^\*\*Partial result in [^:]+: the chairman \(chair-broken\) failed: /);
    expect(run.finalText).toContain(`the chairman (chair-broken) failed: ${why}; the top-ranked answer is given instead**`);
    expect(run.finalText).toMatch(/\*\*Answer: the top-ranked one, by (Alpha|Bravo) \(the chairman failed: /);
    expect(run.threadPosts.at(-1)).toMatch(/^\*\*Answer: the top-ranked one, by (Alpha|Bravo) \(the chairman failed: /);
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("partial");
    expect(record.reason).toBe(`the chairman (chair-broken) failed: ${why}; the top-ranked answer is given instead`);
    const top = record.ranking?.rows[0]?.member ?? "";
    expect(record.verdict?.by).toEqual({ kind: "top-ranked", member: top, because: `the chairman failed: ${why}` });
    expect(record.verdict?.text).toBe(memberOf(record, top)?.answer);
    expect(record.members.every((member) => member.status === "answered")).toBe(true);
    // Asked to answer once; of its reads ahead only the first was sent, as it failed.
    const asked = chatsOf(world.council.fake, "chair-broken");
    expect(asked.map((request) => [request.options?.num_predict === 1 ? "read ahead" : "answer", request.status])).toEqual([
      ["read ahead", 500],
      ["answer", 500],
    ]);
  });

  it("Ollama 503 busy once: the router waits a second and retries, and the council completes", { timeout: caseTimeoutMs() }, async () => {
    world.council.fake.setModel("member-busy", { decodeTokensPerSecond: 60, fault: { kind: "http-error", status: 503, times: 1 } });
    const mark = lastRequestId(world.council.fake);
    const run = await askAndFollow(world, "Who is busy for a moment?", "busy");
    expect(run.finalText).toMatch(/^\*\*Council completed in /);
    expect(run.finalText).toContain("✅ **Busy** · member-busy · answered");
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("completed");
    expect(memberOf(record, "Busy")).toMatchObject({ status: "answered" });
    const [refused, retried] = chatsOf(world.council.fake, "member-busy", mark);
    expect([refused?.status, retried?.status]).toEqual([503, 200]);
    // Ollama's 503 carries no Retry-After: the router waits its default second before retrying.
    expect((retried?.receivedAt ?? 0) - (refused?.receivedAt ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("Ollama 503 busy until the call's deadline: the member fails as busy, naming the worker", { timeout: caseTimeoutMs() }, async () => {
    world.council.fake.setModel("member-busy", { decodeTokensPerSecond: 60, fault: { kind: "http-error", status: 503 } });
    const mark = lastRequestId(world.council.fake);
    const run = await askAndFollow(world, "Who is busy for good?", "busy");
    const why = `${workerUrl} is busy (server busy, please try again. maximum pending requests exceeded)`;
    expect(run.finalText).toMatch(/^\*\*Partial result in [^:]+: Busy failed: /);
    expect(run.finalText).toContain(`❌ **Busy** · member-busy · failed: ${why}`);
    expect(run.finalText).toContain("**Answer by the chairman (chair)**");
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("partial");
    expect(memberOf(record, "Busy")).toMatchObject({ status: "failed", error: { kind: "busy", message: expect.stringContaining(`${workerUrl} is busy (server busy`) } });
    // It was retried (a second apart) until the next wait would pass the call's deadline.
    const statuses = chatsOf(world.council.fake, "member-busy", mark).map((request) => request.status);
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(new Set(statuses)).toEqual(new Set([503]));
  });
});

describe("the worker down at the start", () => {
  let world: FaultWorld;
  let url: string;
  beforeAll(async () => {
    url = await deadUrl();
    world = await startFaultWorld({ workerUrl: url });
  });
  afterAll(() => world?.close());

  it("fails the council at once, naming the URL and WORKER_URLS", { timeout: caseTimeoutMs() }, async () => {
    const run = await askAndFollow(world, "Is anyone there?", "sound");
    const why = `nothing answers at ${url} (ECONNREFUSED): start the council worker there (\`npm run worker\`), or Ollama (\`ollama serve\`; to install it: https://ollama.com/download), or correct WORKER_URLS if it runs elsewhere`;
    expect(run.finalText).toMatch(/^\*\*Council failed in [^:]+: every member failed: /);
    expect(run.finalText).toContain(`every member failed: ${why}**`);
    expect(run.finalText).toContain(`❌ **Alpha** · member-a · failed: ${why}`);
    expect(run.finalText).toContain(`❌ **Bravo** · member-b · failed: ${why}`);
    expect(run.finalText).not.toContain("**Answer");
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(run.threadPosts).toEqual([]);
    expect(record.status).toBe("failed");
    expect(record.reason).toBe(`every member failed: ${why}`);
    expect(record.members.map((member) => [member.name, member.status, member.error?.kind])).toEqual([
      ["Alpha", "failed", "unreachable"],
      ["Bravo", "failed", "unreachable"],
    ]);
    expect(record.verdict).toBeUndefined();
    expect(record.ballots).toEqual([]);
  });
});

describe("the worker killed during stage 1", () => {
  let world: FaultWorld;
  beforeAll(async () => {
    // Slow enough (an answer takes about 1.3 s) that the kill lands mid-answer.
    world = await startFaultWorld({ decodeTokensPerSecond: 20 });
  });
  afterAll(() => world?.close());

  it("fails the council when both members' answers break off, naming the worker", { timeout: caseTimeoutMs() }, async () => {
    const { fake } = world.council;
    const workerUrl = world.council.worker.url;
    const asked = askAndFollow(world, "What if PC2 dies?", "sound");
    // Both members are streaming: a few tokens of each are out, far from the end.
    const streaming = (model: string) => fake.waitForRequest((request) => request.model === model && request.path === "/api/chat" && (request.completionTokens ?? 0) >= 5, 5_000);
    await Promise.all([streaming("member-a"), streaming("member-b")]);
    await killWorker(world);
    const run = await asked;

    const why = `${workerUrl}: the connection broke off mid-answer`;
    expect(run.finalText).toMatch(/^\*\*Council failed in [^:]+: every member failed: /);
    expect(run.finalText).toContain(`every member failed: ${why}`);
    expect(run.finalText).toContain("did the worker or its Ollama stop?");
    expect(run.finalText).toContain(`❌ **Alpha** · member-a · failed: ${why}`);
    expect(run.finalText).toContain(`❌ **Bravo** · member-b · failed: ${why}`);
    expectNoHang(run);
    const record = recordOf(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("failed");
    expect(record.reason).toMatch(/^every member failed: /);
    expect(record.members.map((member) => [member.name, member.status, member.error?.kind])).toEqual([
      ["Alpha", "failed", "bad-response"],
      ["Bravo", "failed", "bad-response"],
    ]);
    // The half answers are not passed off as answers.
    expect(run.threadPosts).toEqual([]);
    expect(record.members.every((member) => member.answer === undefined)).toBe(true);
  });
});

describe("the worker's own queue full (503 with Retry-After)", () => {
  let world: FaultWorld;
  let members: Awaited<ReturnType<typeof startFakeOllama>>;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  beforeAll(async () => {
    // A worker with one slot per model and no queue, in front of its own fake Ollama.
    members = await startFakeOllama({ models: { "member-a": { decodeTokensPerSecond: 60 }, "member-b": { decodeTokensPerSecond: 60 } } });
    worker = await startWorker(members.url, { WORKER_PARALLEL: 1, WORKER_QUEUE: 0 });
    world = await startFaultWorld({ workerUrl: worker.url });
  });
  afterAll(async () => {
    await world?.close();
    await worker?.close();
    await members?.close();
  });

  it("gives up at once when Retry-After is past the call's deadline, saying the worker is busy", { timeout: caseTimeoutMs() }, async () => {
    const run = await askAndFollow(world, "Who sits twice?", "twins");
    // Alpha and Twin ask member-a at the same moment: whichever comes second meets the full queue.
    const record = recordOf(run);
    const refused = record.members.filter((member) => member.status === "failed");
    expect(refused.map((member) => member.name)).toHaveLength(1);
    const [loser] = refused;
    const name = loser?.name ?? "";
    expect(["Alpha", "Twin"]).toContain(name);
    const why = `${worker.url} is busy (worker busy: 0 requests already wait for model "member-a:latest"; retry in 5 s)`;
    expect(run.finalText).toMatch(new RegExp(`^\\*\\*Partial result in [^:]+: ${name} failed: `));
    expect(run.finalText).toContain(`❌ **${name}** · member-a · failed: ${why}`);
    expect(run.finalText).toContain("**Answer by the chairman (chair)**");
    expectNoHang(run);
    expectShownOnce(run, record);
    expect(record.status).toBe("partial");
    expect(loser?.error).toEqual({ kind: "busy", message: why });
    // The 503 came from the worker; Ollama only ever saw the member that got the slot.
    expect(members.requests.filter((request) => request.path === "/api/chat" && request.status === 503)).toEqual([]);
  });
});
