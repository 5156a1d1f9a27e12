import { afterEach, describe, expect, it } from "vitest";
import type { ChatRequest } from "../llm/port.js";
import { createLlmRouter } from "../llm/router.js";
import { startFakeOllama, type FakeOllamaServer } from "../../test-support/fake-ollama/index.js";
import { createScriptedLlm, type Script } from "../../test-support/scripted-llm.js";
import { createCouncilEngine } from "./engine.js";
import type { Preset } from "./preset.js";
import { synthesisPrefix, synthesisSuffix } from "./prompts.js";
import { ballotBy, collect, finished, isReview, ofType, preset } from "./test-helpers.js";

// The chairman reads its prompt while the council works (issue 15): the question and the
// instruction at once, the answers as soon as they settle, each a prefill that the next call
// extends, and the final call reads only the review's results.

const isPrefill = (request: ChatRequest) => request.options.num_predict === 1;

/** Members that answer with their name and review by a fixed preference, each review after `reviewMs`. */
function members(reviewMs = 0): Record<string, Script> {
  const member = (name: string): Script => (request) =>
    isReview(request) ? { text: ballotBy(["Beta", "Alpha", "Gamma"])(request), delayMs: reviewMs } : `${name} says Paris.`;
  return { "alpha:1b": member("Alpha"), "beta:1b": member("Beta"), "gamma:1b": member("Gamma") };
}

describe("the chairman's prefill", () => {
  it("reads the question at once and every answer while the council reviews, with the final call's model, options and keep_alive", async () => {
    const team = createScriptedLlm(members(50));
    const chairman = createScriptedLlm({ "chair:8b": "The capital of France is Paris." });
    const engine = createCouncilEngine({ members: team.client, chairman: chairman.client });
    const council = preset({ chairman: { model: "chair:8b", temperature: 0.3 } });
    await collect(engine.runCouncil("What is the capital of France?", council));

    const [head, ahead, final] = chairman.calls;
    expect(chairman.calls).toHaveLength(3);
    expect(isPrefill(head!.request) && isPrefill(ahead!.request)).toBe(true);
    expect(head!.startedAt).toBeLessThan(Math.min(...team.calls.map((call) => call.endedAt ?? 0)));
    expect(head!.request.messages.at(-1)?.content).toContain("What is the capital of France?");
    // Sent before the slowest ballot came back.
    const lastReviewEnd = Math.max(...team.calls.filter((call) => isReview(call.request)).map((call) => call.endedAt ?? 0));
    expect(ahead!.startedAt).toBeLessThan(lastReviewEnd);
    const prompt = ahead!.request.messages.at(-1)?.content ?? "";
    for (const name of ["Alpha", "Beta", "Gamma"]) expect(prompt).toContain(`${name} says Paris.`);
    // Nothing Ollama would load differently: the same model, num_ctx, temperature and keep_alive.
    for (const prefill of [head!, ahead!]) {
      expect(prefill.request).toMatchObject({ model: "chair:8b", keepAlive: final!.request.keepAlive });
      expect({ ...prefill.request.options, num_predict: 0 }).toEqual({ ...final!.request.options, num_predict: 0 });
    }
    expect(final!.request.options.num_predict).toBe(council.limits.numPredict.synthesis);
  });

  it("reads prefixes of the final prompt: the same messages, the last one continued", async () => {
    const chairman = createScriptedLlm({ "chair:8b": "Paris." });
    const engine = createCouncilEngine({ members: createScriptedLlm(members()).client, chairman: chairman.client });
    await collect(engine.runCouncil("Capital?", preset(), { context: [{ question: "Hello?", answer: "Hi." }] }));
    const [head, ahead, final] = chairman.calls.map((call) => call.request.messages);
    expect(final!.slice(0, -1)).toEqual(ahead!.slice(0, -1));
    expect(ahead!.slice(0, -1)).toEqual(head!.slice(0, -1));
    expect(ahead!.at(-1)?.content.startsWith(head!.at(-1)?.content ?? "-")).toBe(true);
    const prefix = ahead!.at(-1)?.content ?? "";
    const whole = final!.at(-1)?.content ?? "";
    expect(whole.startsWith(prefix)).toBe(true);
    // What the review adds: the ranking by answer number (member order: Alpha 1, Beta 2, Gamma 3) and the critiques.
    expect(whole.slice(prefix.length)).toMatch(/best first[^\n]*\nanswer 2: /);
    expect(whole.slice(prefix.length)).toContain('"critique of');
  });

  it("counts each prompt token once: each read what lies beyond the one before, and the time the reads ahead took", async () => {
    const usage = [
      { promptTokens: 100, promptEvalMs: 700 },
      { promptTokens: 800, promptEvalMs: 5_000 },
      { promptTokens: 1_000, promptEvalMs: 900 },
    ];
    const chairman = createScriptedLlm({ "chair:8b": (_request, call) => ({ text: "Paris.", usage: usage[call] ?? {} }) });
    const engine = createCouncilEngine({ members: createScriptedLlm(members()).client, chairman: chairman.client });
    const events = await collect(engine.runCouncil("Capital?", preset()));
    const chairCalls = ofType(events, "call-finished").filter((event) => event.stats.model === "chair:8b");
    expect(chairCalls.map((event) => event.stats)).toEqual([
      expect.objectContaining({ stage: "synthesis", prefill: true, promptTokens: 100 }),
      expect.objectContaining({ stage: "synthesis", prefill: true, promptTokens: 700, cachedTokens: 100 }),
      expect.objectContaining({ stage: "synthesis", promptTokens: 200, cachedTokens: 800 }),
    ]);
    expect(chairCalls[2]?.stats.prefill).toBeUndefined();
    const summary = finished(events).usage;
    expect(summary.byStage.synthesis).toMatchObject({ promptTokens: 1_000, readAheadTokens: 800, readAheadMs: 5_700 });
    expect(summary.readAheadTokens).toBe(800);
  });

  it("is cancelled with the council", async () => {
    const controller = new AbortController();
    const chairman = createScriptedLlm({ "chair:8b": (request) => (isPrefill(request) ? { hang: true } : "Paris.") });
    const team = createScriptedLlm(members(10_000));
    const engine = createCouncilEngine({ members: team.client, chairman: chairman.client });
    const run = collect(engine.runCouncil("Capital?", preset(), { signal: controller.signal }));
    while (chairman.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const events = await run;
    expect(finished(events)).toMatchObject({ status: "failed", cancelled: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(chairman.calls[0]?.aborted).toBe(true);
  });

  it("stops reading ahead once a read failed, and still asks for the answer once", async () => {
    const chairman = createScriptedLlm({ "chair:8b": (request) => (isPrefill(request) ? { error: new Error("HTTP 500") } : "Paris.") });
    const engine = createCouncilEngine({ members: createScriptedLlm(members()).client, chairman: chairman.client });
    const events = await collect(engine.runCouncil("Capital?", preset()));
    expect(chairman.calls.map((call) => isPrefill(call.request))).toEqual([true, false]);
    expect(ofType(events, "verdict")[0]).toMatchObject({ text: "Paris.", by: { kind: "chairman" } });
    expect(ofType(events, "call-failed")).toEqual([expect.objectContaining({ model: "chair:8b", stage: "synthesis" })]);
  });

  it("is not sent when no chairman writes the answer", async () => {
    for (const strategy of ["best-of", "majority", "weighted"] as const) {
      const chairman = createScriptedLlm({});
      const engine = createCouncilEngine({ members: createScriptedLlm(members()).client, chairman: chairman.client });
      await collect(engine.runCouncil("Capital?", preset({ strategy })));
      expect(chairman.calls, strategy).toHaveLength(0);
    }
  });
});

describe("the chairman's prompt", () => {
  it("shows every answer's rank and score, and the critiques of the three best-ranked", () => {
    const reviewed = [4, 2, 5, 1, 3].map((id, index) => ({ id, meanScore: 9 - index, critiques: [`critique ${id}a`, `critique ${id}b`] }));
    const suffix = synthesisSuffix(reviewed, 0.5);
    const lines = suffix.split("\n").filter((line) => line.startsWith("answer "));
    expect(lines.map((line) => line.split(";")[0])).toEqual(reviewed.map((answer) => `answer ${answer.id}: ${answer.meanScore.toFixed(1)}`));
    for (const id of [4, 2, 5]) expect(suffix).toContain(`"critique ${id}a"; "critique ${id}b"`);
    for (const id of [1, 3]) expect(suffix).not.toContain(`critique ${id}a`);
    expect(suffix).toContain("Reviewer agreement: 0.50");
  });

  it("gives the chairman, of each best answer, the critiques of the reviewers who scored it lowest, four at most", async () => {
    const names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"];
    // Reviewer k scores every answer k + 1 and ranks them in the order shown; its critique names it.
    const member = (name: string, k: number): Script => (request) => {
      if (!isReview(request)) return `${name} says Paris.`;
      const labels = [...(request.messages.at(-1)?.content ?? "").matchAll(/<response id="([A-Z])">/g)].map((match) => match[1] as string);
      return JSON.stringify({
        critiques: Object.fromEntries(labels.map((label) => [label, `${name} finds a flaw`])),
        scores: Object.fromEntries(labels.map((label) => [label, k + 1])),
        ranking: labels,
      });
    };
    const team = createScriptedLlm(Object.fromEntries(names.map((name, k) => [`${name.toLowerCase()}:1b`, member(name, k)])));
    const chairman = createScriptedLlm({ "chair:8b": "Paris." });
    const engine = createCouncilEngine({ members: team.client, chairman: chairman.client });
    const events = await collect(engine.runCouncil("Capital?", preset({ members: names.map((name) => ({ name, model: `${name.toLowerCase()}:1b` })) })));
    const top = ofType(events, "ranking")[0]?.rows[0]?.member ?? "";
    const prompt = chairman.calls.at(-1)?.request.messages.at(-1)?.content ?? "";
    const line = prompt.split("\n").find((text) => text.startsWith(`answer ${names.indexOf(top) + 1}:`)) ?? "";
    const lowest = names.filter((name) => name !== top).slice(0, 4);
    expect(line.split("; ").slice(1)).toEqual(lowest.map((name) => `"${name} finds a flaw"`));
  });

  it("numbers the answers in member order in the prefix", () => {
    const messages = synthesisPrefix({ model: "c" }, "Capital?", [], [
      { id: 1, text: "Paris." },
      { id: 2, text: "Lyon." },
    ]);
    expect(messages.at(-1)?.content).toMatch(/<answer id="1">\nParis\.\n<\/answer>\n<answer id="2">\nLyon\.\n<\/answer>$/);
  });
});

describe("on Ollama's protocol (the fake, which keeps each slot's prompt cache)", () => {
  const started: FakeOllamaServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });

  it("each call finds everything the read before it read in the chairman's cache, but the end-of-turn token", async () => {
    const ballot = (request: { format?: unknown; prompt: string }) => {
      const labels = [...request.prompt.matchAll(/<response id="([A-Z])">/g)].map((match) => match[1] as string);
      return JSON.stringify({
        critiques: Object.fromEntries(labels.map((label) => [label, `critique of ${label}`])),
        scores: Object.fromEntries(labels.map((label, index) => [label, 9 - index])),
        ranking: labels,
      });
    };
    const answer = (name: string) => (request: { format?: unknown; prompt: string }) => (request.format === undefined ? `${name} says Paris.` : ballot(request));
    const team = await startFakeOllama({ models: { "alpha:1b": { answer: answer("Alpha") }, "beta:1b": { answer: answer("Beta") }, "gamma:1b": { answer: answer("Gamma") } } });
    // Four slots: the final call must pick the one holding the prefix.
    const chair = await startFakeOllama({ models: { "chair:8b": { answer: "The capital of France is Paris.", parallel: 4 } } });
    started.push(team, chair);
    const engine = createCouncilEngine({ members: createLlmRouter({ urls: [team.url] }), chairman: createLlmRouter({ urls: [chair.url] }) });
    const council: Preset = preset();
    const events = await collect(engine.runCouncil("What is the capital of France?", council));
    expect(finished(events).status).toBe("completed");

    const chats = chair.requests.filter((record) => record.path === "/api/chat");
    expect(chats).toHaveLength(3);
    const [head, ahead, final] = chats;
    expect(head?.completionTokens).toBe(1);
    expect(ahead?.completionTokens).toBe(1);
    expect(ahead?.cachedTokens).toBe((head?.promptTokens ?? 0) - 1);
    expect(final?.cachedTokens).toBe((ahead?.promptTokens ?? 0) - 1);
    expect(chair.reloads("chair:8b")).toBe(0);
    // The footer's count: the final prompt's tokens, once.
    expect(finished(events).usage.byStage.synthesis?.promptTokens).toBe(final?.promptTokens);
  });
});
