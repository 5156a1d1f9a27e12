import type { PresetCatalog } from "../../config/presets.js";
import { callsChairman, numCtxFor } from "../council/preset.js";
import { LlmRefusedError } from "../llm/errors.js";
import { canonicalModelName } from "../llm/model-name.js";
import { type CheckLine, fail, pass, skip, warn } from "./check-line.js";
import { type CheckedServer, type ServerRole, settingOf } from "./server-check.js";

// Every model of every preset, on a server that will serve it: members on WORKER_URLS, the
// chairman on CHAIRMAN_URL. Pulled (the tags list it), allowed (a worker's tags leave out what
// its WORKER_MODELS does not allow, and /api/show answers 403 for those), and given a num_ctx
// it was trained for: Ollama cuts a larger one down to that, so the council would budget its
// prompts for room the model does not have.

/** One model in one role, with the presets that put it there and the num_ctx each gives it. */
export interface ModelNeed {
  model: string;
  role: ServerRole;
  numCtx: Array<{ preset: string; numCtx: number }>;
  /** The default preset uses it; otherwise taking its presets out of the file is a fix too. */
  inDefault: boolean;
}

export function modelNeeds(catalog: PresetCatalog): ModelNeed[] {
  const needs = new Map<string, ModelNeed>();
  const add = (model: string, role: ServerRole, preset: string, numCtx: number) => {
    const key = `${role} ${canonicalModelName(model)}`;
    const need = needs.get(key) ?? { model, role, numCtx: [], inDefault: false };
    need.inDefault ||= preset === catalog.defaultName;
    need.numCtx.push({ preset, numCtx });
    needs.set(key, need);
  };
  for (const name of catalog.names) {
    const preset = catalog.get(name);
    for (const member of preset.members) add(member.model, "members", name, numCtxFor(preset, member.model));
    if (callsChairman(preset)) add(preset.chairman.model, "chairman", name, numCtxFor(preset, preset.chairman.model));
  }
  return [...needs.values()];
}

export async function checkModels(needs: readonly ModelNeed[], servers: readonly CheckedServer[]): Promise<CheckLine[]> {
  const unchecked = new Set<ServerRole>();
  const lines = await Promise.all(
    needs.map(async (need): Promise<CheckLine[]> => {
      const candidates = servers.filter((server) => server.roles.includes(need.role));
      const usable = candidates.filter((server) => server.usable);
      if (usable.length === 0) {
        unchecked.add(need.role);
        return [];
      }
      const holders = usable.filter((server) => server.models.has(canonicalModelName(need.model)));
      return [holders.length > 0 ? await contextLine(need, holders) : await absenceLine(need, usable)];
    }),
  );
  // Not a failure of its own: the server's line above already failed, with its fix.
  const skipped = [...unchecked].map((role) => skip(`the ${role === "members" ? "member" : "chairman"} models are not checked: no server of ${settingOf([role])} is usable (see Servers)`));
  return [...lines.flat(), ...skipped];
}

/** Pulled and allowed on `holders` (one at least); the first one says what context the model was trained for. */
async function contextLine(need: ModelNeed, holders: readonly CheckedServer[]): Promise<CheckLine> {
  const where = `${label(need)} on ${holders.map((server) => server.url).join(", ")}`;
  let trained: number | undefined;
  try {
    trained = trainedContextLength(await holders[0]!.client.showModel(need.model));
  } catch (error) {
    return warn(`${where}; its context length is unknown (${(error as Error).message})`);
  }
  if (trained === undefined) return pass(`${where}; its context length is not reported, so num_ctx is not checked`);
  const tooLarge = need.numCtx.filter((entry) => entry.numCtx > trained);
  if (tooLarge.length === 0) {
    const largest = Math.max(...need.numCtx.map((entry) => entry.numCtx));
    return pass(`${where}; num_ctx ${largest} fits its ${trained}-token context`);
  }
  const presets = unique(tooLarge.map((entry) => entry.preset));
  return fail(
    `${where}, but num_ctx ${unique(tooLarge.map((entry) => String(entry.numCtx))).join(", ")} is more than the ${trained} tokens it was trained for`,
    `in the presets file, set limits.numCtx["${need.model}"] to ${trained} or less in ${presetsText(presets)}`,
  );
}

/** Not in any tags: a worker that refuses it (403) means WORKER_MODELS; otherwise it is not pulled. */
async function absenceLine(need: ModelNeed, usable: readonly CheckedServer[]): Promise<CheckLine> {
  const answers = await Promise.all(usable.map((server) => server.client.checkModel(need.model).then(() => undefined, (error: unknown) => error)));
  const refusing = usable.filter((_, index) => answers[index] instanceof LlmRefusedError);
  if (refusing.length > 0) {
    const urls = refusing.map((server) => server.url).join(", ");
    return fail(
      `${label(need)} is not allowed on the worker at ${urls} (its WORKER_MODELS leaves it out)`,
      `add ${need.model} to WORKER_MODELS in the .env of that worker and restart it (and \`ollama pull ${need.model}\` there if \`ollama list\` does not show it), or choose a model it allows in ${presetsText(presetsOf(need))}${orTakeOut(need)}`,
    );
  }
  const urls = usable.map((server) => server.url);
  const machine = need.role === "chairman" ? `the machine CHAIRMAN_URL points at (${urls.join(", ")})` : `the machine of ${urls.length === 1 ? urls[0] : `one of WORKER_URLS (${urls.join(", ")})`}`;
  return fail(`${label(need)} is not pulled where it will run (${settingOf([need.role])})`, `run \`ollama pull ${need.model}\` on ${machine}${orTakeOut(need)}`);
}

/** model_info["<architecture>.context_length"]: the context the model was trained for. */
function trainedContextLength(show: unknown): number | undefined {
  const info = (show as { model_info?: unknown } | null)?.model_info;
  if (typeof info !== "object" || info === null) return undefined;
  const fields = info as Record<string, unknown>;
  const architecture = fields["general.architecture"];
  const length = typeof architecture === "string" ? fields[`${architecture}.context_length`] : undefined;
  return typeof length === "number" && Number.isInteger(length) && length > 0 ? length : undefined;
}

function label(need: ModelNeed): string {
  return `${need.model} (${need.role === "members" ? "member" : "chairman"} in ${presetsOf(need).join(", ")})`;
}

/** The presets that use the model in its role, each once, in the file's order. */
function presetsOf(need: ModelNeed): string[] {
  return unique(need.numCtx.map((entry) => entry.preset));
}

/**
 * Discord and the console offer every preset, so a preset that cannot run fails whoever picks
 * it; one the user never meant to use can simply leave the file. Not the default, though.
 */
function orTakeOut(need: ModelNeed): string {
  const presets = presetsOf(need);
  return need.inDefault ? "" : `, or take ${presetsText(presets)} out of the presets file if you do not use ${presets.length === 1 ? "it" : "them"}`;
}

function presetsText(presets: readonly string[]): string {
  return presets.length === 1 ? `preset ${presets[0]}` : `presets ${presets.join(", ")}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
