// What a scripted model "generates" for one request, as the token sequence the fake streams:
// the thinking trace first, then the answer, cut by stop sequences and num_predict as the
// runner would cut them.
import type { GenerationRequest } from "./generation-request.js";
import { jsonInstance, jsonModeObject } from "./json-instance.js";
import { splitTokens } from "./tokens.js";

export interface OutputToken {
  text: string;
  kind: "thinking" | "content";
}

export interface Output {
  tokens: OutputToken[];
  doneReason: "stop" | "length";
}

/** The unscripted answer: deterministic, names the model, about twenty words. */
export function defaultAnswer(model: string): string {
  return `${model} answers: this is a deterministic reply from the fake Ollama server, long enough to stream several tokens to the client.`;
}

export function composeOutput(request: GenerationRequest, prose: boolean): Output {
  const content = cutAtStop(answerText(request, prose), request.stop);
  const thinking = request.thinks ? (request.entry.script.thinking ?? "") : "";
  const tokens: OutputToken[] = [
    ...splitTokens(thinking).map((text) => ({ text, kind: "thinking" as const })),
    ...splitTokens(content).map((text) => ({ text, kind: "content" as const })),
  ];
  // num_predict counts every generated token, thinking included.
  if (request.numPredict !== undefined && tokens.length > request.numPredict) {
    return { tokens: tokens.slice(0, request.numPredict), doneReason: "length" };
  }
  return { tokens, doneReason: "stop" };
}

function answerText(request: GenerationRequest, prose: boolean): string {
  const { script } = request.entry;
  const model = request.scripted.model;
  if (prose) return defaultAnswer(model);
  if (typeof script.answer === "function") return script.answer(request.scripted);
  if (typeof script.answer === "string") return script.answer;
  if (request.format === "json") return JSON.stringify(jsonModeObject(model));
  if (request.format !== undefined) return JSON.stringify(jsonInstance(request.format));
  return defaultAnswer(model);
}

/** The runner stops before the first stop sequence and does not send it. */
function cutAtStop(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}
