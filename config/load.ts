import type { z } from "zod";

export type Env = Record<string, string | undefined>;

/** Start-up stops on this: the message names every bad key, what is wrong, and the fix. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly kind = "config";
  readonly retryable = false;
  /** One line per bad setting or preset (the key, what is wrong, the fix), for callers that show them apart. */
  readonly problems: readonly string[];
  /** What to do, when it is one thing for the whole error. */
  readonly fix: string | undefined;
  constructor(
    /** What cannot go on; the message lists the problems under it, or ends with the fix. */
    readonly summary: string,
    readonly keys: readonly string[],
    details: { problems?: readonly string[]; fix?: string } = {},
  ) {
    const problems = details.problems ?? [];
    super([`${summary}${details.fix ? ` Fix: ${details.fix}` : ""}`, ...problems.map((problem) => `  - ${problem}`)].join("\n"));
    this.problems = problems;
    this.fix = details.fix;
  }
}

// Settings whose names start like ours but are not ours are almost always typos; catching them
// at start-up beats a default silently taking their place.
export const OUR_PREFIXES = ["WORKER_", "COUNCIL_", "CHAIRMAN_", "DISCORD_", "SLACK_", "METRICS_", "FILE_"];

const SECRET_KEY = /TOKEN|SECRET|PASSWORD|KEY/i;

interface LoadOptions {
  /** Which process is starting, for the message ("worker", "bot"). */
  process: string;
  /** Every setting any council process reads, so a shared .env is not reported as typos. */
  knownKeys: readonly string[];
  /**
   * Whether a key is the user's own (written in .env, or given by code): an unknown one stops
   * start-up. The others came from the shell's environment, which other tools share, and only
   * draw a warning. Default: every key is the user's own.
   */
  isOwnKey?: (key: string) => boolean;
  /** Receives one line per unknown key of the environment; default: none is said. */
  warn?: (message: string) => void;
}

export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Env,
  options: LoadOptions,
): Readonly<z.output<S>> {
  const isOwnKey = options.isOwnKey ?? (() => true);
  const unknown = unknownKeys(env, options.knownKeys);
  for (const { key, guess } of unknown.filter(({ key }) => !isOwnKey(key))) {
    const hint = guess ? ` If you meant ${guess}, rename it.` : "";
    options.warn?.(`council ${options.process}: ${key} is set in the environment but is not a council setting; ignoring it.${hint}`);
  }
  const problems = unknown
    .filter(({ key }) => isOwnKey(key))
    .map(({ key, guess }) => {
      const hint = guess ? ` Did you mean ${guess}?` : " Remove it, or see .env.example for the settings there are.";
      return { key, line: `${key} is not a council setting.${hint}` };
    });
  const result = schema.safeParse(env);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? "");
      problems.push({ key, line: describeIssue(schema, env, key, issue.message) });
    }
  }
  if (problems.length > 0 || !result.success) {
    const noun = problems.length === 1 ? "setting needs" : "settings need";
    throw new ConfigError(
      `council ${options.process} cannot start: ${problems.length} ${noun} fixing (in the environment or .env; see .env.example).`,
      problems.map((problem) => problem.key),
      { problems: problems.map((problem) => problem.line) },
    );
  }
  return Object.freeze(result.data);
}

function describeIssue(schema: z.ZodObject, env: Env, key: string, message: string): string {
  const raw = env[key];
  const shown = raw === undefined || raw === "" ? "(not set)" : SECRET_KEY.test(key) ? "(hidden)" : JSON.stringify(raw);
  const fix = schema.shape[key]?.description;
  return `${key}=${shown} ${message}.${fix ? ` Fix: ${fix}` : ""}`;
}

/** Keys that look like ours but are not settings, each with the setting it probably meant. */
function unknownKeys(env: Env, knownKeys: readonly string[]) {
  const known = new Set(knownKeys);
  return Object.keys(env)
    .filter((key) => OUR_PREFIXES.some((prefix) => key.startsWith(prefix)) && !known.has(key))
    .sort()
    .map((key) => ({ key, guess: closest(key, knownKeys) }));
}

export function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(key, candidate);
    if (distance <= 3 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
