import { readFileSync } from "node:fs";

/** council's version, as package.json gives it: read once, where the CLI runs from. */
export function councilVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
