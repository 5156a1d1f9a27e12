import { z } from "zod";

// The worker's health answers, shared by the worker (which builds them) and the bot (which
// shows them in /council-health). Only zod here: neither process pulls the other's code in.

export const serviceHealth = z.object({
  status: z.literal("ok"),
  version: z.string(),
  uptimeSeconds: z.number(),
});

export const ollamaHealth = z.object({
  url: z.string(),
  reachable: z.boolean(),
  version: z.string().optional(),
  roundTripMs: z.number().optional(),
  error: z.string().optional(),
});

const gpu = z.object({
  name: z.string(),
  vramTotalMb: z.number().nullable(),
  vramUsedMb: z.number().nullable(),
  utilizationPercent: z.number().nullable(),
});

export const systemHealth = z.object({
  cpu: z.object({
    model: z.string(),
    cores: z.number(),
    loadPercent: z.number(),
    loadAverage: z.number(),
  }),
  memory: z.object({ usedBytes: z.number(), totalBytes: z.number() }),
  gpus: z.array(gpu),
  sampledAt: z.string(),
});

export const modelsHealth = z.object({
  installed: z.array(
    z.object({
      name: z.string(),
      sizeBytes: z.number(),
      parameterSize: z.string().optional(),
      quantization: z.string().optional(),
    }),
  ),
  loaded: z.array(
    z.object({
      name: z.string(),
      vramBytes: z.number(),
      expiresAt: z.string(),
      contextLength: z.number().optional(),
    }),
  ),
  slots: z.array(z.object({ model: z.string(), busy: z.number(), queued: z.number(), parallel: z.number() })),
});

export type ServiceHealth = z.infer<typeof serviceHealth>;
export type OllamaHealth = z.infer<typeof ollamaHealth>;
export type SystemHealth = z.infer<typeof systemHealth>;
export type ModelsHealth = z.infer<typeof modelsHealth>;
