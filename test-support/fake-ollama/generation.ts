// /api/chat and /api/generate: admission to a slot, load, prefill, then the tokens on the
// timing model's schedule, in Ollama's chunk shapes, with the scripted faults.
import { composeOutput, type OutputToken } from "./answer.js";
import { httpErrorMessage, MID_STREAM_ERROR, type FaultCounter } from "./faults.js";
import { type GenerationRequest, parseGenerationRequest, type Endpoint } from "./generation-request.js";
import type { ModelCatalog } from "./model-catalog.js";
import { type CacheClaim, type KvCache, templatedTokenIds } from "./kv-cache.js";
import type { FakeFault, RecordedRequest } from "./model-script.js";
import type { Reply } from "./reply.js";
import type { RequestLog } from "./request-log.js";
import { type Admission, QueueFullError, type Scheduler } from "./scheduler.js";
import { now, type Timers } from "./timers.js";
import { prefillMs, tokenDueMs, tokensDue } from "./timing.js";
import { countPromptTokens, tokenId } from "./tokens.js";

export interface GenerationDeps {
  catalog: ModelCatalog;
  scheduler: Scheduler;
  timers: Timers;
  faults: FaultCounter;
  log: RequestLog;
  kvCache: KvCache;
}

export async function handleGeneration(
  endpoint: Endpoint,
  body: unknown,
  record: RecordedRequest,
  reply: Reply,
  deps: GenerationDeps,
): Promise<void> {
  const parsed = parseGenerationRequest(endpoint, body, deps.catalog);
  if (isRecord(body)) {
    deps.log.update(record, {
      model: typeof body.model === "string" ? body.model : undefined,
      stream: body.stream !== false,
      format: body.format,
      options: isRecord(body.options) ? body.options : undefined,
      keepAlive: body.keep_alive,
      think: body.think,
    });
  }
  if (!parsed.ok) return reply.error(parsed.status, parsed.error);
  const request = parsed.request;
  deps.log.update(record, { numCtx: request.numCtx });

  if (request.loadOnly) return loadOnly(request, record, reply, deps);

  const fault = deps.faults.take(request.entry.name, request.entry.script.fault);
  if (fault) deps.log.update(record, { fault: fault.kind });
  if (fault?.kind === "http-error") return reply.error(fault.status, httpErrorMessage(fault.status, fault.message));

  let output;
  try {
    output = composeOutput(request, fault?.kind === "non-json");
  } catch (error) {
    return reply.error(500, `fake-ollama: the scripted answer failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Ollama's runner keeps the last num_ctx tokens of a longer prompt and says nothing.
  const promptTokens = Math.min(countPromptTokens(request.scripted.messages) + request.contextTokens, request.numCtx);
  deps.log.update(record, { promptTokens });

  const admission = await admit(request, record, reply, deps);
  if (!admission) return;
  const cache = deps.kvCache.claim({
    model: request.entry.name,
    runner: admission.runner,
    slots: request.entry.script.parallel ?? 1,
    prompt: promptIds(request, promptTokens),
  });
  deps.log.update(record, { cachedTokens: cache.cachedTokens });
  await generate({ request, record, reply, deps, admission, cache, fault, output: output.tokens, doneReason: output.doneReason, promptTokens });
}

async function admit(request: GenerationRequest, record: RecordedRequest, reply: Reply, deps: GenerationDeps) {
  try {
    // acquire() queues synchronously, so once queuedAt is set the counters include this request.
    const admission = deps.scheduler.acquire({
      model: request.entry.name,
      numCtx: request.numCtx,
      keepAliveMs: request.keepAliveMs,
      receivedAt: record.receivedAt,
      signal: reply.signal,
    });
    deps.log.update(record, { queuedAt: now() });
    const admitted = await admission;
    deps.log.update(record, { admittedAt: now(), loaded: admitted.paidLoad });
    return admitted;
  } catch (error) {
    if (error instanceof QueueFullError) reply.error(503, error.message);
    return undefined; // otherwise the client left, or the server is closing
  }
}

/** Empty messages or prompt: Ollama loads the model and answers done_reason "load"; with keep_alive 0 it unloads. */
async function loadOnly(request: GenerationRequest, record: RecordedRequest, reply: Reply, deps: GenerationDeps) {
  let doneReason = "unload";
  if (request.keepAliveMs === 0) {
    deps.scheduler.unload(request.entry.name);
  } else {
    const admission = await admit(request, record, reply, deps);
    if (!admission) return;
    admission.release();
    doneReason = "load";
  }
  deps.log.update(record, { doneReason, promptTokens: 0, completionTokens: 0 });
  const base = { model: request.scripted.model, created_at: new Date().toISOString() };
  // Sent with c.JSON whatever `stream` says, so always one JSON object.
  reply.json(200, request.endpoint === "chat"
    ? { ...base, message: { role: "assistant", content: "" }, done_reason: doneReason, done: true }
    : { ...base, response: "", done: true, done_reason: doneReason });
}

interface Generation {
  request: GenerationRequest;
  record: RecordedRequest;
  reply: Reply;
  deps: GenerationDeps;
  admission: Admission;
  cache: CacheClaim;
  fault: FakeFault | undefined;
  output: OutputToken[];
  doneReason: "stop" | "length";
  promptTokens: number;
}

async function generate(g: Generation): Promise<void> {
  const { request, reply, deps, cache } = g;
  const script = request.entry.script;
  const signal = reply.signal;
  const release = (evaluated: boolean) => {
    cache.release(evaluated);
    g.admission.release();
  };
  if (signal.aborted) return release(false); // admitted in the same tick its client left

  const prefillStart = now();
  // Only what the slot's cache did not hold is read; prompt_eval_duration shows just that.
  const prefillEnd = prefillStart + prefillMs(g.promptTokens - cache.cachedTokens, script.prefillTokensPerSecond);
  let prefilling = true;
  // Released right in the abort listener, so the slot is free by the time the record settles.
  const onAbort = () => {
    // The runner only learns that its client left when it sends the first token (ollama#11889),
    // so a prompt being evaluated keeps its slot until the evaluation ends.
    if (prefilling) deps.timers.at(prefillEnd, () => release(true));
    else release(true);
  };
  signal.addEventListener("abort", onAbort, { once: true });

  try {
    await deps.timers.sleepUntil(prefillEnd, signal);
    prefilling = false;

    const stopAfter = faultAfterTokens(g.fault);
    const limit = Math.min(stopAfter ?? g.output.length, g.output.length);
    const isHangWithoutOutput = g.fault?.kind === "hang" && stopAfter === undefined;

    const decodeStart = now();
    let sent = 0;
    let lastTokenAt = decodeStart;
    const buffered: OutputToken[] = [];
    while (!isHangWithoutOutput && sent < limit) {
      const due = tokensDue(now() - decodeStart, limit, script.decodeTokensPerSecond);
      if (due > sent) {
        const batch = g.output.slice(sent, due);
        if (request.stream) reply.stream(batch.map((t) => chunkLine(request, t)).join(""));
        else buffered.push(...batch);
        sent = due;
        lastTokenAt = now();
        deps.log.update(g.record, { completionTokens: sent });
        continue;
      }
      await deps.timers.sleepUntil(decodeStart + tokenDueMs(sent + 1, script.decodeTokensPerSecond), signal);
    }
    deps.log.update(g.record, { completionTokens: sent });

    switch (g.fault?.kind) {
      case "hang":
        await deps.timers.untilAborted(signal);
        return;
      case "cut":
        reply.cut();
        return;
      case "error-mid-stream": {
        const message = g.fault.message ?? MID_STREAM_ERROR;
        // Before any output Ollama can still choose the status; after it, only a line in the stream.
        if (request.stream && reply.headersSent) reply.endStream(`${JSON.stringify({ error: message })}\n`);
        else reply.error(500, message);
        return;
      }
    }

    const end = now();
    deps.log.update(g.record, { doneReason: g.doneReason });
    const metrics = {
      total_duration: ns(end - g.record.receivedAt),
      load_duration: ns(g.admission.readyAt - g.record.receivedAt),
      // Go's omitempty drops zero counts, and their durations with them.
      ...(g.promptTokens > 0 && { prompt_eval_count: g.promptTokens, prompt_eval_duration: ns(decodeStart - prefillStart) }),
      ...(sent > 0 && { eval_count: sent, eval_duration: ns(lastTokenAt - decodeStart) }),
    };
    const final = finalObject(g, request.stream ? [] : buffered, metrics, sent);
    if (request.stream) reply.endStream(`${JSON.stringify(final)}\n`);
    else reply.json(200, final);
  } catch (error) {
    // Aborted: the client left or the server is closing, and the record already says so.
    // Anything else is a bug in the fake and must reach the test.
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (!prefilling) release(true);
  }
}

/** Where a fault interrupts the output, if it does. */
function faultAfterTokens(fault: FakeFault | undefined): number | undefined {
  switch (fault?.kind) {
    case "error-mid-stream":
    case "cut":
    case "hang":
      return fault.afterTokens;
    default:
      return undefined;
  }
}

/** One streamed token, in the shape of api.ChatResponse or api.GenerateResponse. */
function chunkLine(request: GenerationRequest, token: OutputToken): string {
  const base = { model: request.scripted.model, created_at: new Date().toISOString() };
  const thinking = token.kind === "thinking";
  const chunk = request.endpoint === "chat"
    ? { ...base, message: { role: "assistant", content: thinking ? "" : token.text, ...(thinking && { thinking: token.text }) }, done: false }
    : { ...base, response: thinking ? "" : token.text, ...(thinking && { thinking: token.text }), done: false };
  return `${JSON.stringify(chunk)}\n`;
}

/** The done object: the whole text when unstreamed (empty when streamed), the reason and the metrics. */
function finalObject(g: Generation, tokens: OutputToken[], metrics: Record<string, number>, sent: number) {
  const { request } = g;
  const content = tokens.filter((t) => t.kind === "content").map((t) => t.text).join("");
  const thinking = tokens.filter((t) => t.kind === "thinking").map((t) => t.text).join("");
  const base = { model: request.scripted.model, created_at: new Date().toISOString() };
  if (request.endpoint === "chat") {
    return {
      ...base,
      message: { role: "assistant", content, ...(thinking !== "" && { thinking }) },
      done_reason: g.doneReason,
      done: true,
      ...metrics,
    };
  }
  return {
    ...base,
    response: content,
    ...(thinking !== "" && { thinking }),
    done: true,
    done_reason: g.doneReason,
    ...(!request.raw && { context: contextIds(g, sent) }),
    ...metrics,
  };
}

/** generate's `context`: ids of the (truncated) prompt the model saw, earlier context first, then of what it said. */
function contextIds(g: Generation, sent: number): number[] {
  return [...promptIds(g.request, g.promptTokens), ...g.output.slice(0, sent).map((t) => tokenId(t.text))];
}

/** The ids of the prompt the model reads: generate's earlier context first, then the templated messages, cut to the last `promptTokens`. */
function promptIds(request: GenerationRequest, promptTokens: number): number[] {
  const earlier = request.scripted.body.context;
  const prompt = [...(Array.isArray(earlier) ? earlier.filter((id): id is number => typeof id === "number") : []), ...templatedTokenIds(request.scripted.messages)];
  return prompt.slice(prompt.length - promptTokens);
}

/** Milliseconds to Ollama's nanoseconds; never 0, which omitempty would drop from the JSON. */
function ns(ms: number): number {
  return Math.max(1, Math.round(ms * 1e6));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
