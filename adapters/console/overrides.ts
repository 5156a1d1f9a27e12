import type { MemberSpec, Preset, ReviewMode, Strategy } from "../../src/council/preset.js";
import { canonicalModelName } from "../../src/llm/model-name.js";

// What the command line may change in a preset for one run.

export interface PresetOverrides {
  /** Replace the members by these models, one member each. */
  members?: string[];
  /** Replace the chairman's model (its temperature and system prompt stay). */
  chairman?: string;
  strategy?: Strategy;
  review?: ReviewMode;
}

// The presets file allows member names of at most 32 characters; derived names keep to it.
const MAX_NAME_LENGTH = 32;

export function applyOverrides(preset: Preset, overrides: PresetOverrides): Preset {
  return {
    ...preset,
    members: overrides.members ? membersFor(overrides.members) : preset.members,
    chairman: overrides.chairman ? { ...preset.chairman, model: overrides.chairman } : preset.chairman,
    strategy: overrides.strategy ?? preset.strategy,
    review: overrides.review ?? preset.review,
  };
}

function membersFor(models: readonly string[]): MemberSpec[] {
  const names = memberNames(models);
  return models.map((model, index) => ({ name: names[index] as string, model }));
}

/**
 * A readable, unique name per model: "llama3.2:3b" is "llama3.2"; two sizes of one model are
 * "qwen2.5-3b" and "qwen2.5-7b"; the same model twice is "llama3.2" and "llama3.2-2".
 */
export function memberNames(models: readonly string[]): string[] {
  const parts = models.map((model) => {
    const lastSegment = model.slice(model.lastIndexOf("/") + 1);
    const [base = lastSegment, tag = "latest"] = lastSegment.split(":");
    return { base, tag, canonical: canonicalModelName(model) };
  });
  const modelsPerBase = new Map<string, Set<string>>();
  for (const { base, canonical } of parts) {
    const key = base.toLowerCase();
    modelsPerBase.set(key, (modelsPerBase.get(key) ?? new Set()).add(canonical));
  }
  // Member names compare case-insensitively in the presets file; so here.
  const taken = new Set<string>();
  return parts.map(({ base, tag }) => {
    const sharedBase = (modelsPerBase.get(base.toLowerCase())?.size ?? 0) > 1;
    const wanted = sharedBase ? `${base}-${tag}` : base;
    let name = wanted.slice(0, MAX_NAME_LENGTH);
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      const suffix = `-${n}`;
      name = wanted.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}
