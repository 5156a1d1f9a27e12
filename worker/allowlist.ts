import { ModelNotAllowedError } from "./errors.js";

// Ollama treats "llama3" and "llama3:latest" as the same model, so the allowlist must too.
export function canonicalModelName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? name : `${name}:latest`;
}

export function createAllowlist(models: readonly string[] | undefined) {
  const allowed = models ? new Set(models.map(canonicalModelName)) : undefined;

  function allows(model: string): boolean {
    return !allowed || allowed.has(canonicalModelName(model));
  }

  function check(model: string): void {
    if (!allows(model)) throw new ModelNotAllowedError(model, models ?? []);
  }

  return { allows, check };
}

export type Allowlist = ReturnType<typeof createAllowlist>;
