// The fake Ollama shared by every test and benchmark: a real HTTP server on 127.0.0.1 that
// speaks Ollama's native API (NDJSON streaming, nanosecond metrics, Ollama's error bodies)
// with scripted models, a timing model, slots, reloads and faults.
export { startFakeOllama, DEFAULT_MAX_QUEUE, DEFAULT_VERSION, type FakeOllamaServer } from "./server.js";
export type {
  FakeFault,
  FakeGenerationRequest,
  FakeMessage,
  FakeModel,
  FakeOllama,
  FakeOllamaOptions,
  RecordedRequest,
} from "./model-script.js";
export { countPromptTokens, countTokens, IMAGE_TOKENS, MESSAGE_TEMPLATE_TOKENS, splitTokens } from "./tokens.js";
export { jsonInstance, jsonModeObject } from "./json-instance.js";
export { defaultAnswer } from "./answer.js";
export { expectedTiming, type ExpectedTiming } from "./timing.js";
export { normalizeModelName } from "./model-catalog.js";
export { DEFAULT_KEEP_ALIVE_MS } from "./keep-alive.js";
export { imagesOf, NO_VISION_ERROR } from "./vision.js";
export { quizModels, type QuizOptions } from "./quiz.js";
