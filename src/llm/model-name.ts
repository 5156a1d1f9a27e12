/**
 * Ollama's canonical model name: names are case-insensitive and a missing tag means ":latest",
 * so "Llama3" and "llama3:latest" are one model. A ":" before the last "/" is a registry port,
 * not a tag.
 */
export function canonicalModelName(name: string): string {
  const lower = name.trim().toLowerCase();
  const lastSegment = lower.slice(lower.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? lower : `${lower}:latest`;
}
