import { ModelNotAllowedError } from "./errors.js";

// Ollama treats "llama3" and "llama3:latest" as the same model, and "library/llama3" or
// "registry.ollama.ai/library/llama3" too, so the allowlist and the model catalog must.
export function canonicalModelName(name: string): string {
  const short = name.replace(/^(registry\.ollama\.ai\/)?library\//i, "");
  const lastSegment = short.slice(short.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? short : `${short}:latest`;
}

/** One key per model, whatever spelling a caller uses for it. */
export function modelKey(name: string): string {
  return canonicalModelName(name).toLowerCase();
}

export function createAllowlist(models: readonly string[] | undefined) {
  const allowed = models ? new Set(models.map(modelKey)) : undefined;

  function allows(model: string): boolean {
    return !allowed || allowed.has(modelKey(model));
  }

  function check(model: string): void {
    if (!allows(model)) throw new ModelNotAllowedError(model, models ?? []);
  }

  return { allows, check };
}

export type Allowlist = ReturnType<typeof createAllowlist>;
