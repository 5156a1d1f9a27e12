// The wire format, through the real ollama client and through plain fetch.
import { Ollama } from "ollama";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defaultAnswer } from "./answer.js";
import { chatBody, NS_PER_MS, post, readNdjson, useFake } from "./test-helpers.js";
import { countPromptTokens, countTokens, splitTokens } from "./tokens.js";

const start = useFake();

describe("POST /api/chat", () => {
  it("streams NDJSON chunks that the ollama client reads, ending with a done chunk of counts", async () => {
    const fake = await start({ models: { "member-a": {} } });
    const ollama = new Ollama({ host: fake.url });
    const messages = [{ role: "system", content: "Be brief." }, { role: "user", content: "Why is the sky blue?" }];

    const stream = await ollama.chat({ model: "member-a", messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    const last = chunks.at(-1)!;
    const tokens = chunks.slice(0, -1);
    expect(tokens.map((c) => c.message.content).join("")).toBe(defaultAnswer("member-a"));
    expect(tokens).toHaveLength(countTokens(defaultAnswer("member-a")));
    for (const chunk of tokens) {
      expect(chunk).toMatchObject({ model: "member-a", done: false, message: { role: "assistant" } });
      expect(Number.isNaN(Date.parse(String(chunk.created_at)))).toBe(false);
    }
    expect(last).toMatchObject({
      model: "member-a",
      done: true,
      done_reason: "stop",
      message: { role: "assistant", content: "" },
      prompt_eval_count: countPromptTokens(messages),
      eval_count: tokens.length,
    });
    for (const key of ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"] as const) {
      expect(Number.isInteger(last[key]) && last[key] > 0, key).toBe(true);
    }
    expect(last.total_duration).toBeGreaterThanOrEqual(last.load_duration);
  });

  it("sends application/x-ndjson when streaming and one application/json object when not", async () => {
    const fake = await start({ models: { m: {} } });
    const streamed = await post(fake.url, "/api/chat", chatBody("m"));
    expect(streamed.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = await readNdjson(streamed);
    expect(lines.length).toBeGreaterThan(2);

    const whole = await post(fake.url, "/api/chat", chatBody("m", "hi", { stream: false }));
    expect(whole.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await whole.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ done: true, done_reason: "stop", message: { role: "assistant", content: defaultAnswer("m") } });
    expect(body.eval_count).toBe(lines.length - 1);
  });

  it("answers unstreamed through the ollama client (which defaults to stream: false)", async () => {
    const fake = await start({ models: { m: { answer: "Rayleigh scattering." } } });
    const response = await new Ollama({ host: fake.url }).chat({ model: "m", messages: [{ role: "user", content: "sky?" }] });
    expect(response.message.content).toBe("Rayleigh scattering.");
    expect(response.eval_count).toBe(3); // "Rayleigh", " scattering", "."
    expect(fake.requests[0]).toMatchObject({ stream: false, completed: true, status: 200, completionTokens: 3 });
  });

  it("lets an answer function read the request", async () => {
    const fake = await start({ models: { judge: { answer: (r) => `${r.endpoint}:${r.prompt.toUpperCase()}:${r.messages.length}` } } });
    const response = await new Ollama({ host: fake.url }).chat({
      model: "judge",
      messages: [{ role: "system", content: "rank" }, { role: "user", content: "a then b" }],
    });
    expect(response.message.content).toBe("chat:A THEN B:2");
  });

  it("cuts the answer at num_predict tokens with done_reason length; -1 is unbounded", async () => {
    const fake = await start({ models: { m: {} } });
    const ollama = new Ollama({ host: fake.url });
    const cut = await ollama.chat({ model: "m", messages: [{ role: "user", content: "hi" }], options: { num_predict: 5 } });
    expect(cut.done_reason).toBe("length");
    expect(cut.eval_count).toBe(5);
    expect(cut.message.content).toBe(splitTokens(defaultAnswer("m")).slice(0, 5).join(""));
    expect(fake.requests[0]).toMatchObject({ doneReason: "length", completionTokens: 5 });

    const whole = await ollama.chat({ model: "m", messages: [{ role: "user", content: "hi" }], options: { num_predict: -1 } });
    expect(whole.done_reason).toBe("stop");
    expect(whole.message.content).toBe(defaultAnswer("m"));
  });

  it("stops before a stop sequence", async () => {
    const fake = await start({ models: { m: { answer: "first part STOP second part" } } });
    const response = await new Ollama({ host: fake.url }).chat({ model: "m", messages: [{ role: "user", content: "go" }], options: { stop: [" STOP"] } });
    expect(response.message.content).toBe("first part");
    expect(response.done_reason).toBe("stop");
  });

  it("answers a JSON Schema format with a valid instance", async () => {
    const Ballot = z.object({ ranking: z.array(z.enum(["A", "B", "C"])).length(3), reason: z.string().min(10) });
    const fake = await start({ models: { m: {} } });
    const response = await new Ollama({ host: fake.url }).chat({
      model: "m",
      messages: [{ role: "user", content: "rank them" }],
      format: z.toJSONSchema(Ballot),
      options: { temperature: 0 },
    });
    expect(Ballot.parse(JSON.parse(response.message.content)).ranking).toEqual(["A", "B", "C"]);
    expect(fake.requests[0]?.format).toMatchObject({ type: "object" });
  });

  it('answers format "json" with a small JSON object, and sends a scripted answer as is', async () => {
    const fake = await start({ models: { m: {}, scripted: { answer: "not json at all" } } });
    const ollama = new Ollama({ host: fake.url });
    const json = await ollama.chat({ model: "m", messages: [{ role: "user", content: "x" }], format: "json" });
    expect(JSON.parse(json.message.content)).toBeTypeOf("object");
    const scripted = await ollama.chat({ model: "scripted", messages: [{ role: "user", content: "x" }], format: "json" });
    expect(scripted.message.content).toBe("not json at all");
  });

  it("rejects a format that is neither json nor a schema, as the runner does", async () => {
    const fake = await start({ models: { m: {} } });
    const response = await post(fake.url, "/api/chat", chatBody("m", "x", { format: "xml" }));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'invalid format: "\\"xml\\""; expected "json" or a valid JSON Schema object' });
  });

  it("streams the thinking trace before the content, and leaves it out with think: false", async () => {
    const fake = await start({ models: { thinker: { thinking: "Let me weigh both.", answer: "B is better." } } });
    const ollama = new Ollama({ host: fake.url });
    const stream = await ollama.chat({ model: "thinker", messages: [{ role: "user", content: "A or B?" }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const thinking = chunks.filter((c) => c.message.thinking);
    expect(thinking.map((c) => c.message.thinking).join("")).toBe("Let me weigh both.");
    expect(chunks.indexOf(thinking.at(-1)!)).toBeLessThan(chunks.findIndex((c) => c.message.content !== ""));
    // Thinking tokens are generated tokens: eval_count counts them.
    expect(chunks.at(-1)?.eval_count).toBe(countTokens("Let me weigh both.") + countTokens("B is better."));

    const quiet = await ollama.chat({ model: "thinker", messages: [{ role: "user", content: "A or B?" }], think: false });
    expect(quiet.message.thinking).toBeUndefined();
    expect(quiet.message.content).toBe("B is better.");
    const unstreamed = await ollama.chat({ model: "thinker", messages: [{ role: "user", content: "A or B?" }] });
    expect(unstreamed.message.thinking).toBe("Let me weigh both.");
  });

  it("rejects think: true for a model without thinking, like Ollama since 0.9", async () => {
    const fake = await start({ models: { plain: {} } });
    const error = await new Ollama({ host: fake.url })
      .chat({ model: "plain", messages: [{ role: "user", content: "x" }], think: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ResponseError", status_code: 400, error: '"plain" does not support thinking' });
  });

  it("loads the model when messages are empty, and unloads it with keep_alive 0", async () => {
    const fake = await start({ models: { m: { loadMs: 20 } } });
    const load = await post(fake.url, "/api/chat", { model: "m", messages: [] });
    expect(load.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await load.json()).toMatchObject({ done: true, done_reason: "load", message: { role: "assistant", content: "" } });
    expect(fake.loads("m")).toBe(1);
    expect((await new Ollama({ host: fake.url }).ps()).models).toHaveLength(1);

    const unload = await post(fake.url, "/api/chat", { model: "m", keep_alive: 0 });
    expect(await unload.json()).toMatchObject({ done: true, done_reason: "unload" });
    expect((await new Ollama({ host: fake.url }).ps()).models).toHaveLength(0);
  });
});

describe("POST /api/generate", () => {
  it("streams response chunks and ends with context and counts that include the system prompt", async () => {
    const fake = await start({ models: { m: { answer: "Blue light scatters more." } } });
    const stream = await new Ollama({ host: fake.url }).generate({ model: "m", prompt: "Why is the sky blue?", system: "Be brief.", stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(chunks.slice(0, -1).map((c) => c.response).join("")).toBe("Blue light scatters more.");
    expect(last).toMatchObject({ done: true, done_reason: "stop", response: "", eval_count: 5 });
    expect(last.prompt_eval_count).toBe(countPromptTokens([{ content: "Be brief." }, { content: "Why is the sky blue?" }]));
    expect(last.context.length).toBe(last.prompt_eval_count + last.eval_count);
    expect(last.context.every((id) => Number.isInteger(id))).toBe(true);
  });

  it("answers unstreamed with the whole response", async () => {
    const fake = await start({ models: { m: {} } });
    const response = await new Ollama({ host: fake.url }).generate({ model: "m", prompt: "hello" });
    expect(response).toMatchObject({ response: defaultAnswer("m"), done: true, done_reason: "stop" });
    expect(response.context.length).toBeGreaterThan(0);
    expect(response.eval_duration).toBeGreaterThan(0);
  });

  it("counts a context sent back as prompt tokens, as the conversation grows", async () => {
    const fake = await start({ models: { m: { answer: "Noted." } } });
    const ollama = new Ollama({ host: fake.url });
    const first = await ollama.generate({ model: "m", prompt: "Remember seven." });
    const second = await ollama.generate({ model: "m", prompt: "What was it?", context: first.context });
    expect(second.prompt_eval_count).toBe(first.context.length + countPromptTokens([{ content: "What was it?" }]));
    expect(second.context.slice(0, first.context.length)).toEqual(first.context);
  });

  it("sends thinking in its own field and returns no context in raw mode", async () => {
    const fake = await start({ models: { m: { thinking: "hmm", answer: "ok" } } });
    const response = await new Ollama({ host: fake.url }).generate({ model: "m", prompt: "x", raw: true });
    expect(response).toMatchObject({ thinking: "hmm", response: "ok" });
    expect(response.context).toBeUndefined();
  });
});

describe("errors", () => {
  it("answers an unknown model with 404 and Ollama's text, which the client throws as a ResponseError", async () => {
    const fake = await start({ models: { m: {} } });
    const raw = await post(fake.url, "/api/chat", chatBody("missing"));
    expect(raw.status).toBe(404);
    expect(raw.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await raw.json()).toEqual({ error: 'model "missing" not found, try pulling it first' });

    const error = await new Ollama({ host: fake.url }).generate({ model: "missing", prompt: "x" }).catch((e: unknown) => e);
    // ollama-js does not export ResponseError: callers check name and status_code.
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "ResponseError", status_code: 404, error: 'model "missing" not found, try pulling it first' });
    expect((error as Error).message).toBe('model "missing" not found, try pulling it first');
  });

  it('treats "x" and "x:latest" as one model, case-insensitively, and echoes the name as sent', async () => {
    const fake = await start({ models: { Member: {} } });
    const response = await new Ollama({ host: fake.url }).chat({ model: "member:latest", messages: [{ role: "user", content: "x" }] });
    expect(response.model).toBe("member:latest");
  });

  it("reads keys as Go's encoding/json does: without regard to case, the last one winning, maps untouched", async () => {
    const fake = await start({ models: { "small:1b": {}, "big:70b": {} } });
    const text = '{"model":"small:1b","Model":"big:70b","messages":[{"role":"user","Content":"hi"}],"options":{"num_ctx":2048,"NUM_CTX":4096}}';
    expect((await post(fake.url, "/api/chat", text)).status).toBe(200);
    expect(fake.requests[0]).toMatchObject({ model: "big:70b", numCtx: 2048, body: { messages: [{ role: "user", content: "hi" }] } });
    // The Kelvin sign folds to k in Unicode, so Go fills keep_alive from "\u212Aeep_alive".
    expect((await post(fake.url, "/api/chat", '{"model":"small:1b","\u212Aeep_alive":0}')).status).toBe(200);
    expect(fake.requests[1]?.keepAlive).toBe(0);
  });

  it("answers 400 model is required, and 400 for a body that is not JSON", async () => {
    const fake = await start({ models: { m: {} } });
    const missing = await post(fake.url, "/api/chat", { messages: [] });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "model is required" });
    const generate = await post(fake.url, "/api/generate", { prompt: "x" });
    expect(await generate.json()).toEqual({ error: "model is required" });

    const malformed = await post(fake.url, "/api/chat", "{not json");
    expect(malformed.status).toBe(400);
    expect((await malformed.json()) as object).toHaveProperty("error");
    const empty = await post(fake.url, "/api/chat", "");
    expect(await empty.json()).toEqual({ error: "missing request body" });
    expect(fake.requests[2]?.body).toBe("{not json");
  });

  it("answers a wrong type or a bad keep_alive with 400 and Go's message", async () => {
    const fake = await start({ models: { m: {} } });
    const badModel = await post(fake.url, "/api/chat", { model: 7, messages: [] });
    expect(badModel.status).toBe(400);
    expect(await badModel.json()).toEqual({ error: "json: cannot unmarshal number into Go struct field ChatRequest.model of type string" });
    const badKeepAlive = await post(fake.url, "/api/chat", chatBody("m", "x", { keep_alive: "300" }));
    expect(badKeepAlive.status).toBe(400);
    expect(await badKeepAlive.json()).toEqual({ error: 'time: missing unit in duration "300"' });
  });

  it("answers an unknown path with Gin's plain 404 and a wrong method with 405", async () => {
    const fake = await start();
    const unknown = await fetch(`${fake.url}/api/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe("404 page not found");
    const wrongMethod = await fetch(`${fake.url}/api/chat`);
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.text()).toBe("405 method not allowed");
    expect(fake.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", "/api/nothing", 404],
      ["GET", "/api/chat", 405],
    ]);
  });
});

describe("model listings", () => {
  const scripts = {
    "member-a": { family: "qwen3", parameterSize: "4.0B", quantizationLevel: "Q4_K_M", sizeBytes: 2_500_000_000, contextLength: 8192, thinking: "..." },
    "member-b:7b": {},
  };

  it("lists every scripted model in /api/tags with Ollama's fields", async () => {
    const fake = await start({ models: scripts });
    const { models } = await new Ollama({ host: fake.url }).list();
    expect(models.map((m) => m.name).sort()).toEqual(["member-a:latest", "member-b:7b"]);
    const a = models.find((m) => m.name === "member-a:latest")!;
    expect(a).toMatchObject({
      model: "member-a:latest",
      size: 2_500_000_000,
      details: { parent_model: "", format: "gguf", family: "qwen3", families: ["qwen3"], parameter_size: "4.0B", quantization_level: "Q4_K_M" },
    });
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(Number.isNaN(Date.parse(String(a.modified_at)))).toBe(false);
  });

  it("lists loaded models in /api/ps with expiry from keep_alive, VRAM and context length", async () => {
    const fake = await start({ models: scripts });
    const ollama = new Ollama({ host: fake.url });
    expect((await ollama.ps()).models).toEqual([]);

    await ollama.chat({ model: "member-a", messages: [{ role: "user", content: "x" }], keep_alive: "10m", think: false });
    await ollama.chat({ model: "member-b:7b", messages: [{ role: "user", content: "x" }], keep_alive: -1, options: { num_ctx: 2048 } });
    const { models } = await ollama.ps();
    expect(models.map((m) => m.name)).toEqual(["member-b:7b", "member-a:latest"]); // longest-lived first
    const [b, a] = models as unknown as [Record<string, unknown>, Record<string, unknown>];
    expect(a).toMatchObject({ size_vram: 2_500_000_000, context_length: 8192, details: { family: "qwen3" } });
    expect(Date.parse(String(a.expires_at)) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(String(a.expires_at)) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect(b).toMatchObject({ context_length: 2048 });
    expect(new Date(String(b.expires_at)).getUTCFullYear()).toBeGreaterThan(2200);

    // keep_alive 0: unloaded as soon as the request ends.
    await ollama.chat({ model: "member-a", messages: [{ role: "user", content: "x" }], keep_alive: 0, think: false });
    expect((await ollama.ps()).models.map((m) => m.name)).toEqual(["member-b:7b"]);
  });

  it("shows details, model_info with the trained context length, capabilities and the num_ctx parameter", async () => {
    const fake = await start({ models: scripts });
    const ollama = new Ollama({ host: fake.url });
    const show = await ollama.show({ model: "member-a" });
    expect(show.details).toMatchObject({ family: "qwen3", parameter_size: "4.0B" });
    const info = show.model_info as unknown as Record<string, unknown>;
    expect(info["general.architecture"]).toBe("qwen3");
    expect(info["qwen3.context_length"]).toBe(131_072);
    expect(show.capabilities).toEqual(["completion", "thinking"]);
    expect(show.parameters).toMatch(/^num_ctx\s+8192$/m);
    expect(show.template).toContain("{{ .Prompt }}");
    expect((await ollama.show({ model: "member-b:7b" })).capabilities).toEqual(["completion"]);

    const missing = await ollama.show({ model: "nope" }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status_code: 404, error: "model 'nope' not found" });
  });

  it("answers /api/version, and GET and HEAD / with Ollama is running", async () => {
    const fake = await start({ version: "0.99.1" });
    expect(await new Ollama({ host: fake.url }).version()).toEqual({ version: "0.99.1" });
    const root = await fetch(`${fake.url}/`);
    expect(await root.text()).toBe("Ollama is running");
    const head = await fetch(`${fake.url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("serves models added and removed at run time", async () => {
    const fake = await start();
    const ollama = new Ollama({ host: fake.url });
    fake.setModel("late", { answer: "here now" });
    expect((await ollama.chat({ model: "late", messages: [{ role: "user", content: "x" }] })).message.content).toBe("here now");
    fake.removeModel("late");
    expect(await ollama.chat({ model: "late", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e)).toMatchObject({ status_code: 404 });
    expect((await ollama.list()).models).toEqual([]);
  });

  it("rejects a script mistake where it is written", async () => {
    const fake = await start();
    expect(() => fake.setModel("m", { decodeTokensPerSecond: 0 })).toThrow(/decodeTokensPerSecond must be > 0/);
    expect(() => fake.setModel("m", { parallel: 0 })).toThrow(/parallel/);
  });
});

describe("the record", () => {
  it("records method, path, headers, body and the request's settings", async () => {
    const fake = await start({ models: { m: {} } });
    await new Ollama({ host: fake.url, headers: { "X-Trace": "t1" } }).chat({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      options: { num_ctx: 1024, temperature: 0 },
      keep_alive: "1m",
      format: "json",
    });
    const [record] = fake.requests;
    expect(record).toMatchObject({
      id: 1,
      method: "POST",
      path: "/api/chat",
      model: "m",
      stream: false,
      format: "json",
      options: { num_ctx: 1024, temperature: 0 },
      keepAlive: "1m",
      numCtx: 1024,
      status: 200,
      loaded: true,
      aborted: false,
      completed: true,
    });
    expect(record?.headers["x-trace"]).toBe("t1");
    expect(record?.headers["user-agent"]).toMatch(/^ollama-js/);
    expect(record?.body).toMatchObject({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(record!.firstByteAt!).toBeGreaterThanOrEqual(record!.receivedAt);
    expect(record!.finishedAt!).toBeGreaterThanOrEqual(record!.firstByteAt!);
  });

  it("waits for requests that already arrived and for ones still to come", async () => {
    const fake = await start({ models: { m: { decodeTokensPerSecond: 200 } } });
    await post(fake.url, "/api/chat", chatBody("m", "first", { stream: false }));
    expect((await fake.waitForRequest((r) => r.model === "m")).id).toBe(1);

    const later = fake.waitForRequest((r) => r.id === 2 && r.firstByteAt !== undefined);
    const response = post(fake.url, "/api/chat", chatBody("m", "second"));
    expect((await later).id).toBe(2);
    const settled = await fake.waitForSettled(2);
    expect(settled.completed).toBe(true);
    await (await response).text();

    await expect(fake.waitForRequest((r) => r.path === "/never", 50)).rejects.toThrow(/no matching request within 50 ms/);
    await expect(fake.waitForSettled(999)).rejects.toThrow(/no request with id 999/);
  });

  it("resets the record, the loaded state and the fault counters", async () => {
    const fake = await start({ models: { m: { fault: { kind: "http-error", status: 500, times: 1 } } } });
    await post(fake.url, "/api/chat", chatBody("m", "x", { stream: false }));
    await post(fake.url, "/api/chat", chatBody("m", "x", { stream: false }));
    expect(fake.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(fake.loads("m")).toBe(1);
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect(fake.loads("m")).toBe(0);
    const again = await post(fake.url, "/api/chat", chatBody("m", "x", { stream: false }));
    expect(again.status).toBe(500);
    expect(fake.requests[0]?.id).toBe(3);
  });
});

describe("metrics", () => {
  it("reports nanosecond durations consistent with the decode and prefill rates", async () => {
    const fake = await start({ models: { m: { decodeTokensPerSecond: 200, prefillTokensPerSecond: 500, answer: "word ".repeat(40).trim() } } });
    const prompt = "token ".repeat(46).trim(); // 46 + 4 template tokens = 50 -> 100 ms of prefill
    const response = await new Ollama({ host: fake.url }).chat({ model: "m", messages: [{ role: "user", content: prompt }] });
    expect(response.prompt_eval_count).toBe(50);
    expect(response.eval_count).toBe(40);
    // Deadlines are never early; the upper bounds are generous for a loaded CI box.
    expect(response.prompt_eval_duration / NS_PER_MS).toBeGreaterThanOrEqual(99);
    expect(response.prompt_eval_duration / NS_PER_MS).toBeLessThan(400);
    expect(response.eval_duration / NS_PER_MS).toBeGreaterThanOrEqual(199);
    expect(response.eval_duration / NS_PER_MS).toBeLessThan(600);
    const tokensPerSecond = (response.eval_count / response.eval_duration) * 1e9;
    expect(tokensPerSecond).toBeLessThanOrEqual(201);
    expect(tokensPerSecond).toBeGreaterThan(70);
    expect(response.total_duration).toBeGreaterThanOrEqual(response.prompt_eval_duration + response.eval_duration);
  });
});
