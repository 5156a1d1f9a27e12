import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Preset } from "../src/council/preset.js";
import { closest, ConfigError } from "./load.js";

// The presets file is edited by hand, so every mistake is reported with the path of the key
// ("presets.balanced.members[1].name"), what is wrong, and, for an unknown key, the keys that
// are allowed there.

const MAX_MEMBERS = 12;

// Every key the file may hold, for "did you mean" on a misspelt one.
const PRESET_KEYS = [
  "default", "presets", "description", "members", "chairman", "strategy", "review", "debateRounds", "limits",
  "name", "model", "temperature", "system", "numPredict", "numCtx", "callTimeoutSeconds", "stageTimeoutSeconds",
  "maxQuestionChars", "answer", "debate", "synthesis", "referencePrice", "promptPerMillion", "completionPerMillion", "currency",
  "vote", "samples", "selection",
];

const positiveInt = (what: string) =>
  z.number({ error: `must be a number (${what})` }).int("must be a whole number").positive("must be more than 0");

const temperature = z.number({ error: "must be a number from 0 to 2" }).min(0, "must be 0 or more").max(2, "must be 2 or less").optional();

const member = z.strictObject({
  name: z
    .string({ error: "must be a text" })
    .trim()
    .min(1, "must not be empty")
    .max(32, "must be at most 32 characters"),
  model: z.string({ error: "must be an Ollama model name, e.g. llama3.2:3b" }).trim().min(1, "must not be empty"),
  temperature,
  system: z.string({ error: "must be a text (the member's system prompt)" }).optional(),
});

const chairman = z.union(
  [
    z.string().trim().min(1).transform((model) => ({ model })),
    z.strictObject({ model: z.string().trim().min(1, "must not be empty"), temperature, system: z.string().optional() }),
  ],
  { error: 'must be a model name, or {"model": ..., "temperature": ..., "system": ...}' },
);

const limits = z.strictObject({
  numPredict: z
    .strictObject({
      answer: positiveInt("tokens").default(600),
      debate: positiveInt("tokens").default(600),
      review: positiveInt("tokens").default(400),
      synthesis: positiveInt("tokens").default(1200),
    })
    .default({ answer: 600, debate: 600, review: 400, synthesis: 1200 }),
  numCtx: z
    .record(z.string(), positiveInt("tokens").min(512, "must be at least 512 tokens"), {
      error: 'must map model names to context sizes, with a "default", e.g. {"default": 8192}',
    })
    .default({ default: 8192 }),
  callTimeoutSeconds: positiveInt("seconds").default(180),
  stageTimeoutSeconds: positiveInt("seconds").default(300),
  maxQuestionChars: positiveInt("characters").default(4000),
});

// `vote` samples each member several times; more than 9 is rarely worth its tokens (arXiv 2402.05120 gains flatten early).
const vote = z.strictObject({
  samples: z.number({ error: "must be a number (answers per member)" }).int("must be a whole number").min(1, "must be at least 1").max(9, "must be 9 or less").default(3),
  // At 0 a model gives the same answer every time: the samples would vote as one.
  temperature: z.number({ error: "must be a number above 0, up to 2" }).gt(0, "must be more than 0: at 0 every sample is the same answer").max(2, "must be 2 or less").default(0.7),
  selection: z.enum(["plurality", "confident-member"], { error: "must be plurality or confident-member" }).default("plurality"),
});

const preset = z
  .strictObject({
    description: z.string().optional(),
    members: z
      .array(member, { error: "must be a list of members" })
      .min(2, "must have at least 2 members: a council of one cannot review itself")
      .max(MAX_MEMBERS, `must have at most ${MAX_MEMBERS} members`),
    chairman,
    strategy: z
      .enum(["synthesis", "best-of", "majority", "weighted", "vote"], { error: "must be one of: synthesis, best-of, majority, weighted, vote" })
      .default("synthesis"),
    review: z.enum(["ranking", "pairwise"], { error: "must be ranking or pairwise" }).default("ranking"),
    debateRounds: z.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(3, "must be 3 or less").default(0),
    vote: vote.default(vote.parse({})),
    limits: limits.default(limits.parse({})),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.members.forEach((entry, index) => {
      if (seen.has(entry.name.toLowerCase())) {
        ctx.addIssue({ code: "custom", path: ["members", index, "name"], message: `repeats the name "${entry.name}"; each member needs its own name` });
      }
      seen.add(entry.name.toLowerCase());
    });
  });

const price = (what: string) => z.number({ error: `must be a number (${what})` }).min(0, "must be 0 or more");

/** A cloud model's price, for the statistics' estimate of what the council's tokens would have cost there. */
const referencePrice = z.strictObject({
  name: z.string({ error: "must name the cloud model the price is of" }).trim().min(1, "must not be empty"),
  promptPerMillion: price("the price of a million prompt tokens"),
  completionPerMillion: price("the price of a million completion tokens"),
  currency: z.string({ error: "must be a currency code, e.g. USD" }).trim().min(1).max(8).default("USD"),
});

export type ReferencePrice = z.infer<typeof referencePrice>;

const presetsFile = z
  .strictObject({
    $comment: z.unknown().optional(),
    default: z.string({ error: "must name the default preset" }),
    referencePrice: referencePrice.optional(),
    presets: z.record(z.string(), preset, { error: "must be an object of presets by name" }),
  })
  .superRefine((file, ctx) => {
    if (!(file.default in file.presets)) {
      ctx.addIssue({ code: "custom", path: ["default"], message: `names "${file.default}", which is not one of the presets (${Object.keys(file.presets).join(", ")})` });
    }
    for (const [name, entry] of Object.entries(file.presets)) {
      if (!("default" in entry.limits.numCtx)) {
        ctx.addIssue({ code: "custom", path: ["presets", name, "limits", "numCtx"], message: 'needs a "default" entry, e.g. {"default": 8192}' });
      }
    }
  });

export interface PresetCatalog {
  names: string[];
  defaultName: string;
  /** Set when the file names a cloud model's price (its "referencePrice"). */
  referencePrice?: ReferencePrice;
  /** Throws a ConfigError naming the presets there are. */
  get(name?: string): Preset;
}

export function loadPresets(path: string, defaultName?: string): PresetCatalog {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigError(`council cannot read the presets file ${path}: set COUNCIL_CONFIG to its path (the default is config/presets.json).`, ["COUNCIL_CONFIG"]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The presets file ${path} is not valid JSON: ${(error as Error).message}.`, ["COUNCIL_CONFIG"]);
  }
  return parsePresets(json, path, defaultName);
}

export function parsePresets(json: unknown, source: string, defaultName?: string): PresetCatalog {
  const result = presetsFile.safeParse(json);
  if (!result.success) {
    throw new ConfigError(`The presets file ${source} needs fixing:`, ["COUNCIL_CONFIG"], { problems: result.error.issues.map(describe) });
  }
  const file = result.data;
  const names = Object.keys(file.presets);
  const chosenDefault = defaultName ?? file.default;
  const get = (name = chosenDefault): Preset => {
    const entry = file.presets[name];
    if (!entry) {
      throw new ConfigError(`There is no preset "${name}" in ${source}; the presets are: ${names.join(", ")}.`, ["COUNCIL_PRESET"]);
    }
    const { default: defaultCtx, ...byModel } = entry.limits.numCtx;
    return {
      name,
      description: entry.description,
      members: entry.members,
      chairman: entry.chairman,
      strategy: entry.strategy,
      review: entry.review,
      debateRounds: entry.debateRounds,
      vote: entry.vote,
      limits: {
        numPredict: entry.limits.numPredict,
        numCtx: { default: defaultCtx ?? 8192, byModel },
        callTimeoutMs: entry.limits.callTimeoutSeconds * 1000,
        stageTimeoutMs: entry.limits.stageTimeoutSeconds * 1000,
        maxQuestionChars: entry.limits.maxQuestionChars,
      },
    };
  };
  get(chosenDefault);
  return { names, defaultName: chosenDefault, ...(file.referencePrice && { referencePrice: file.referencePrice }), get };
}

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>(
    (text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)),
    "",
  );
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((key) => {
      const guess = closest(key, PRESET_KEYS);
      return `"${key}"${guess ? ` (did you mean "${guess}"?)` : ""}`;
    });
    return `${path ? `${path}: ` : ""}unknown key ${keys.join(", ")}`;
  }
  return `${path || "the file"} ${issue.message}`;
}
