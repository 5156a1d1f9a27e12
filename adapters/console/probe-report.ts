import { closest } from "../../config/load.js";
import type { ServerProbe } from "../../src/core.js";
import { callsChairman, type Preset } from "../../src/council/preset.js";
import { modelMissingMessage } from "../../src/llm/errors.js";
import { canonicalModelName } from "../../src/llm/model-name.js";
import { oneLine } from "./format.js";

// What the start-up probe found, in words: which servers answered with how many models, why
// the others did not (the router's message already says what to start and which setting to
// correct), and whether each model of the preset is installed where it will run. A URL that
// serves the members and the chairman alike (one machine) is reported once.

const SETTING: Record<ServerProbe["role"], string> = { members: "WORKER_URLS", chairman: "CHAIRMAN_URL" };

interface Machine {
  url: string;
  roles: string;
  reachable: boolean;
  models: string[];
  error?: string;
}

/** The probes of one URL that found the same thing, as one machine. */
function machines(found: readonly ServerProbe[]): Machine[] {
  const byKey = new Map<string, Machine>();
  for (const server of found) {
    const key = JSON.stringify([server.url, server.reachable, server.error]);
    const seen = byKey.get(key);
    if (seen) seen.roles = `${seen.roles} and ${server.role}`;
    else byKey.set(key, { url: server.url, roles: server.role, reachable: server.reachable, models: server.models, ...(server.error && { error: server.error }) });
  }
  return [...byKey.values()];
}

export function probeLines(found: readonly ServerProbe[]): string[] {
  return machines(found).map((machine) =>
    machine.reachable
      ? `  ✓ ${machine.roles} ${machine.url} · ${machine.models.length} ${machine.models.length === 1 ? "model" : "models"}`
      : `  ✗ ${machine.roles}: ${machine.error ? oneLine(machine.error) : `${machine.url} did not answer`}`,
  );
}

/** With no server of WORKER_URLS up, no member can answer: nothing can run. */
export function noWorkerReachable(found: readonly ServerProbe[]): boolean {
  return found.filter((server) => server.role === "members").every((server) => !server.reachable);
}

export function noWorkerMessage(found: readonly ServerProbe[]): string {
  return ["No server of WORKER_URLS answered, so no member can answer:", ...probeLines(found)].join("\n");
}

/** The servers that did not answer, when some did. */
export function unreachableLines(found: readonly ServerProbe[]): string[] {
  const down = found.filter((server) => !server.reachable);
  return down.length === 0 ? [] : ["Some servers did not answer; the council goes on without them:", ...probeLines(down)];
}

/** The servers of a role that answered; none means its models could not be checked. */
function answering(found: readonly ServerProbe[], role: ServerProbe["role"]): ServerProbe[] {
  return found.filter((server) => server.role === role && server.reachable);
}

/**
 * Why the model cannot run, when a server of its role answered and none has it: where to pull
 * it, and the installed model it was probably meant to be (a typo in a preset or on the
 * command line). Undefined when it is there, or when no server of its role answered.
 */
function missing(model: string, role: ServerProbe["role"], found: readonly ServerProbe[]): string | undefined {
  const servers = answering(found, role);
  if (servers.length === 0) return undefined;
  const installed = servers.flatMap((server) => server.models.map(canonicalModelName));
  if (installed.includes(canonicalModelName(model))) return undefined;
  const guess = closest(canonicalModelName(model), installed);
  const meant = guess ? ` (or did you mean ${guess.replace(/:latest$/, "")}?)` : "";
  return `${modelMissingMessage(model, servers.map((server) => server.url), SETTING[role])}${meant}`;
}

/** Every model of the preset that a server of its role does not have, each with where to pull it. */
export function missingModelLines(preset: Preset, found: readonly ServerProbe[]): string[] {
  const wanted = [
    ...[...new Set(preset.members.map((member) => member.model))].map((model) => ({ model, role: "members" as const })),
    ...(callsChairman(preset) ? [{ model: preset.chairman.model, role: "chairman" as const }] : []),
  ];
  return wanted.flatMap(({ model, role }) => missing(model, role, found) ?? []);
}

/** The preset's models, each with whether a server that answered has it, and the command that fixes it when none does. */
export function presetLines(preset: Preset, found: readonly ServerProbe[]): string[] {
  const checked = (role: ServerProbe["role"]) => answering(found, role).length > 0;
  const availability = (model: string, role: ServerProbe["role"]) => {
    if (!checked(role)) return "";
    const why = missing(model, role, found);
    return why ? ` ✗ ${why}` : " ✓";
  };
  const chairman = callsChairman(preset);
  const rounds = preset.debateRounds > 0 ? `, ${preset.debateRounds} debate ${preset.debateRounds === 1 ? "round" : "rounds"}` : "";
  // One note rather than a question mark on every model when a server is down: its line above says why.
  const unchecked = !checked("members") || (chairman && !checked("chairman"));
  return [
    `Preset "${preset.name}" (${preset.strategy}, ${preset.review} review${rounds})${preset.description ? `: ${preset.description}` : ""}`,
    ...preset.members.map((member) => `  ${member.name} · ${member.model}${availability(member.model, "members")}`),
    ...(chairman ? [`  chairman · ${preset.chairman.model}${availability(preset.chairman.model, "chairman")}`] : []),
    ...(unchecked ? ["  (models not checked where their server did not answer)"] : []),
  ];
}
