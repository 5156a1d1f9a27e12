// Images on /api/chat and /api/generate, as Ollama 0.12.6 reads them, and which models can see.
//
// Ollama's request structs hold images as []api.ImageData, and ImageData is []byte (api/types.go),
// so Go's encoding/json decodes each string as standard padded base64 while it binds the body
// (ShouldBindJSON in ChatHandler and GenerateHandler, server/routes.go): a string that is not
// base64 is a 400 with base64's own error, before the model is even looked up.
//
// A model that cannot see: Ollama has no check of its own (no "vision" capability is asked for
// in server/routes.go). Runners of the architectures that have an image encoder (gemma3,
// mistral3, llama4, qwen2.5vl, mllama) refuse images when the file lacks its weights:
// EncodeMultimodal returns model.ErrNoVisionModel (model/model.go), runner/ollamarunner/runner.go
// answers `http.Error(w, fmt.Sprintf("Failed to create new sequence: %v", err), 500)`, and
// streamResponse (server/routes.go) passes that status and text on, as JSON, before any token.
// Other text-only models drop the images without a word (the prompt keeps an "[img-0]" tag):
// a client must ask /api/show whether "vision" is among a model's capabilities before it sends
// one. The fake answers the runner's refusal for every model without `vision`, so a client
// that sends an image to a model that cannot see fails loudly in tests instead of silently.
import type { RecordedRequest } from "./model-script.js";
import type { FakeModel } from "./model-script.js";

/** What Ollama's runner answers, with status 500, when a model without an image encoder gets an image. */
export const NO_VISION_ERROR = "Failed to create new sequence: this model is missing data required for image input";

/** /api/show's capabilities, in the order Ollama lists them (server/images.go, Capabilities). */
export function capabilitiesOf(script: FakeModel): string[] {
  return ["completion", ...(script.vision === true ? ["vision"] : []), ...(script.thinking !== undefined ? ["thinking"] : [])];
}

export type ImagesRead = { ok: true; images: string[] } | { ok: false; status: number; error: string };

/**
 * The request's images in the order the model sees them (chat: message by message; generate:
 * the `images` field), or Go's decoding error for the first one that is not an array of base64
 * strings. A `null` list is no list, as in Go.
 */
export function readImages(endpoint: "chat" | "generate", body: Record<string, unknown>): ImagesRead {
  const lists =
    endpoint === "generate"
      ? [{ value: body.images, struct: "GenerateRequest", field: "images" }]
      : (Array.isArray(body.messages) ? body.messages : []).map((message: unknown) => ({
          value: isRecord(message) ? message.images : undefined,
          struct: "Message",
          field: "messages.images",
        }));
  const images: string[] = [];
  for (const { value, struct, field } of lists) {
    if (value === undefined || value === null) continue;
    const typeError = (kind: string, type: string): ImagesRead => ({
      ok: false,
      status: 400,
      error: `json: cannot unmarshal ${kind} into Go struct field ${struct}.${field} of type ${type}`,
    });
    if (!Array.isArray(value)) return typeError(goKind(value), "[]api.ImageData");
    for (const image of value) {
      if (image === null) {
        images.push(""); // Go decodes null into an empty image
        continue;
      }
      if (typeof image !== "string") return typeError(goKind(image), "api.ImageData");
      const offset = base64ErrorOffset(image);
      if (offset !== undefined) return { ok: false, status: 400, error: `illegal base64 data at input byte ${offset}` };
      images.push(image);
    }
  }
  return { ok: true, images };
}

/** The runner's refusal when a model that cannot see is asked to look at images. */
export function visionRefusal(script: FakeModel, images: readonly string[]): { status: number; error: string } | undefined {
  return images.length > 0 && script.vision !== true ? { status: 500, error: NO_VISION_ERROR } : undefined;
}

/** Every image a recorded chat or generate request carried, in order (whatever was answered: see `status`). */
export function imagesOf(request: RecordedRequest): string[] {
  if (!isRecord(request.body)) return [];
  const endpoint = request.path === "/api/generate" ? "generate" : "chat";
  const read = readImages(endpoint, request.body);
  return read.ok ? read.images : [];
}

const ALPHABET = /[A-Za-z0-9+/]/;
// What nearly every client sends is recognised in passes at memory speed (an anchored pattern
// over the whole of a 14 MB image takes ten times longer); only the rest is walked.
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
const isNewline = (c: string | undefined) => c === "\n" || c === "\r";

/**
 * Where Go's base64.StdEncoding.Decode stops on `text` (CorruptInputError's offset), or
 * undefined when it decodes. As Go's decoder does: quanta of four alphabet characters, "\r" and
 * "\n" skipped anywhere, "=" only as the padding of the last quantum ("xx==" or "xxx="), nothing
 * but line breaks after it, and unused bits left unchecked (the encoding is not Strict).
 */
export function base64ErrorOffset(text: string): number | undefined {
  if (isPlainPaddedBase64(text)) return undefined;
  let i = 0;
  for (;;) {
    let digits = 0;
    while (digits < 4) {
      if (i === text.length) return digits === 0 ? undefined : text.length - digits;
      const c = text[i++];
      if (ALPHABET.test(c ?? "")) digits++;
      else if (isNewline(c)) continue;
      else if (c !== "=" || digits < 2) return i - 1;
      else return paddingEnd(text, i, digits);
    }
  }
}

/** Standard base64 with padding and no line breaks: "=" only as the last one or two characters. */
function isPlainPaddedBase64(text: string): boolean {
  if (text.length % 4 !== 0 || NOT_BASE64.test(text)) return false;
  const padding = text.indexOf("=");
  return padding === -1 || padding === text.length - 1 || (padding === text.length - 2 && text.endsWith("="));
}

/** After the first "=" (at i - 1) of a quantum holding `digits` characters: where decoding fails, if it does. */
function paddingEnd(text: string, i: number, digits: number): number | undefined {
  if (digits === 2) {
    while (isNewline(text[i])) i++;
    if (i === text.length) return text.length;
    if (text[i] !== "=") return i - 1;
    i++;
  }
  while (isNewline(text[i])) i++;
  return i < text.length ? i : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function goKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}
