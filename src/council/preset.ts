// A preset is everything that shapes one deliberation. It is parsed and validated from the
// presets file in config/; the engine only reads it.

export type Strategy = "synthesis" | "best-of" | "majority" | "weighted" | "vote";
export type ReviewMode = "ranking" | "pairwise";

export interface MemberSpec {
  /** Unique within the preset; the same model may sit twice under two names. */
  name: string;
  model: string;
  temperature?: number;
  system?: string;
}

export interface ChairmanSpec {
  model: string;
  temperature?: number;
  system?: string;
}

export interface PresetLimits {
  /** Tokens each kind of call may generate (Ollama's num_predict). */
  numPredict: { answer: number; debate: number; review: number; synthesis: number };
  /** num_ctx per model, pinned: every call to a model uses the same value so Ollama never reloads it. */
  numCtx: { default: number; byModel: Record<string, number> };
  /** A single model call gives up after this long. */
  callTimeoutMs: number;
  /** A whole stage gives up after this long; its late calls are cancelled. */
  stageTimeoutMs: number;
  maxQuestionChars: number;
}

/** How `vote` picks the answer from the members' samples. */
export type VoteSelection = "plurality" | "confident-member";

export interface VoteSettings {
  /** Answers per member: its usual one, plus samples - 1 drawn at `temperature`. */
  samples: number;
  temperature: number;
  selection: VoteSelection;
}

export interface Preset {
  name: string;
  description?: string;
  members: MemberSpec[];
  chairman: ChairmanSpec;
  strategy: Strategy;
  review: ReviewMode;
  debateRounds: number;
  /** Read by the `vote` strategy only; DEFAULT_VOTE when absent. */
  vote?: VoteSettings;
  limits: PresetLimits;
}

/**
 * Whether the preset's strategy calls its chairman: only synthesis does. The others pick or
 * vote an answer from the members', so their chairman is never loaded, checked or fitted.
 */
export function callsChairman(preset: Pick<Preset, "strategy">): boolean {
  return preset.strategy === "synthesis";
}

export function numCtxFor(preset: Preset, model: string): number {
  return preset.limits.numCtx.byModel[model] ?? preset.limits.numCtx.default;
}
