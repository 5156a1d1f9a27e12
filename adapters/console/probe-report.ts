import type { ServerProbe } from "../../src/core.js";
import type { Preset } from "../../src/council/preset.js";
import { canonicalModelName } from "../../src/llm/model-name.js";
import { oneLine } from "./format.js";

// What the start-up probe found, in words: which servers answered with how many models, and
// which setting to check for those that did not.

const ROLE: Record<ServerProbe["role"], string> = { members: "worker", chairman: "chairman" };

export function probeLines(found: readonly ServerProbe[]): string[] {
  return found.map((server) =>
    server.reachable
      ? `  ✓ ${ROLE[server.role]} ${server.url} · ${server.models.length} ${server.models.length === 1 ? "model" : "models"}`
      : `  ✗ ${ROLE[server.role]} ${server.url} · ${server.error ? oneLine(server.error) : "not reachable"}`,
  );
}

/** With no worker up, no member can answer: nothing can run. */
export function noWorkerReachable(found: readonly ServerProbe[]): boolean {
  return found.filter((server) => server.role === "members").every((server) => !server.reachable);
}

export const CHECK_SERVERS =
  "Check that the worker (npm run worker) or Ollama is running at those URLs, and that WORKER_URLS and CHAIRMAN_URL in .env point at them.";

export function noWorkerMessage(found: readonly ServerProbe[]): string {
  return ["No worker answered, so no member can answer:", ...probeLines(found), CHECK_SERVERS].join("\n");
}

/** The servers that did not answer, when some did. */
export function unreachableLines(found: readonly ServerProbe[]): string[] {
  const down = found.filter((server) => !server.reachable);
  return down.length === 0 ? [] : ["Some servers did not answer; the council goes on without them:", ...probeLines(down), CHECK_SERVERS];
}

/** The preset's models, each with whether a server that answered has it, and the command that fixes it when none does. */
export function presetLines(preset: Preset, found: readonly ServerProbe[]): string[] {
  const availability = (model: string, role: ServerProbe["role"]) => {
    const servers = found.filter((server) => server.role === role && server.reachable);
    if (servers.length === 0) return "? (its server did not answer)";
    const present = servers.some((server) => server.models.some((name) => canonicalModelName(name) === canonicalModelName(model)));
    return present ? "✓" : `✗ not installed: run \`ollama pull ${model}\` on the ${ROLE[role]}'s machine`;
  };
  const rounds = preset.debateRounds > 0 ? `, ${preset.debateRounds} debate ${preset.debateRounds === 1 ? "round" : "rounds"}` : "";
  return [
    `Preset "${preset.name}" (${preset.strategy}, ${preset.review} review${rounds})${preset.description ? `: ${preset.description}` : ""}`,
    ...preset.members.map((member) => `  ${member.name} · ${member.model} ${availability(member.model, "members")}`),
    ...(preset.strategy === "synthesis" ? [`  chairman · ${preset.chairman.model} ${availability(preset.chairman.model, "chairman")}`] : []),
  ];
}
