import { BadRequestError } from "./errors.js";

// Ollama decodes bodies with Go's encoding/json, which matches keys without regard to case
// and keeps the last one it meets: {"model":"allowed","Model":"other"} would run "other" after
// the worker checked "allowed". The worker forwards only what it validated, serialised again,
// and refuses a body whose keys could be read two ways. The walk is iterative and bounded in
// depth, so a body nested hundreds of thousands of levels is a 400, not a stack overflow.

/** Ollama's requests nest a handful of levels; a JSON Schema in `format` or tool definitions a few dozen at most. */
export const MAX_JSON_DEPTH = 64;

interface Pending {
  value: unknown;
  depth: number;
  parent?: Pending;
  key?: string | number;
}

/** Throws a 400 naming the problem when `root` nests too deep or holds keys that differ only by case. */
export function assertUnambiguousJson(root: unknown): void {
  const stack: Pending[] = [{ value: root, depth: 0 }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { value, depth } = entry;
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new BadRequestError(`the request body nests deeper than ${MAX_JSON_DEPTH} levels (at ${pathOf(entry)}); Ollama's requests need far fewer`);
    }
    if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => stack.push({ value: item, depth: depth + 1, parent: entry, key: index }));
      continue;
    }
    const seen = new Map<string, string>();
    for (const [key, item] of Object.entries(value)) {
      const folded = foldCase(key);
      const twin = seen.get(folded);
      if (twin !== undefined) {
        throw new BadRequestError(
          `the request body has both ${quote(twin)} and ${quote(key)} ${depth === 0 ? "at its top level" : `in ${pathOf(entry)}`}; Ollama reads keys without regard to case, so send each key once`,
        );
      }
      seen.set(folded, key);
      stack.push({ value: item, depth: depth + 1, parent: entry, key });
    }
  }
}

// Go folds case the Unicode way, in which the Kelvin sign is a "k" and the long s an "s";
// upper-casing and then lower-casing maps both, and every ASCII letter, onto one form.
function foldCase(key: string): string {
  return key.toUpperCase().toLowerCase();
}

function quote(key: string): string {
  const shown = JSON.stringify(key);
  return shown.length > 60 ? `${shown.slice(0, 57)}…"` : shown;
}

function pathOf(entry: Pending): string {
  const parts: string[] = [];
  for (let at: Pending | undefined = entry; at?.key !== undefined; at = at.parent) {
    parts.unshift(typeof at.key === "number" ? `[${at.key}]` : `.${quote(at.key).slice(1, -1)}`);
  }
  return parts.length === 0 ? "the top level" : parts.join("").replace(/^\./, "");
}
