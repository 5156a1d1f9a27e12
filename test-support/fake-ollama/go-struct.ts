// How Ollama's Go handlers see a JSON body: encoding/json fills a struct field from any key that
// equals the field's name without regard to case (Unicode folding, in which the Kelvin sign is a
// "k"), and when two keys fill one field the last wins. Ollama's requests and messages are
// structs; `options` and `format` are maps and raw values, whose keys stay as they are.

const REQUEST_FIELDS = [
  "model", "name", "messages", "prompt", "suffix", "system", "template", "context", "stream", "raw", "format",
  "images", "options", "keep_alive", "think", "tools", "verbose", "truncate", "shift", "logprobs", "top_logprobs",
];
const MESSAGE_FIELDS = ["role", "content", "thinking", "images", "tool_calls", "tool_name"];

const fold = (key: string) => key.toUpperCase().toLowerCase();

function asStruct(value: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const byFold = new Map(fields.map((field) => [fold(field), field]));
  const struct: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) struct[byFold.get(fold(key)) ?? key] = item;
  return struct;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A request body as Ollama's handler would read it into its request struct. */
export function asGoRequest(body: unknown): unknown {
  if (!isRecord(body)) return body;
  const request = asStruct(body, REQUEST_FIELDS);
  if (Array.isArray(request.messages)) {
    request.messages = request.messages.map((message: unknown) => (isRecord(message) ? asStruct(message, MESSAGE_FIELDS) : message));
  }
  return request;
}
