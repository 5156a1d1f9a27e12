import { z } from "zod";
import { logLevel } from "./logging.js";
import { httpUrl, integer, optionalList, port, secret, textWithDefault } from "./settings.js";

/**
 * Three 10 MiB images (the bot's default file size and count) are 40 MiB in base64; 8 MiB more
 * leaves room for the prompt, a document's text and JSON around them.
 */
export const DEFAULT_MAX_BODY_BYTES = 48 * 1024 * 1024;

export const workerSettings = z
  .object({
    OLLAMA_URL: httpUrl("http://127.0.0.1:11434").describe(
      "set it to the Ollama this worker fronts, e.g. OLLAMA_URL=http://127.0.0.1:11434.",
    ),
    WORKER_HOST: textWithDefault("127.0.0.1").describe(
      "set it to the address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for the network.",
    ),
    WORKER_PORT: port(8001).describe("set it to a free TCP port, e.g. WORKER_PORT=8001."),
    WORKER_TOKEN: secret({ minLength: 16 }).describe(
      "set it to a long random string, the same on the bot (e.g. the output of `openssl rand -hex 32`).",
    ),
    WORKER_MODELS: optionalList().describe(
      "list the models callers may use, comma-separated (e.g. WORKER_MODELS=llama3.2:3b,qwen2.5:7b), or leave it empty for all.",
    ),
    WORKER_PARALLEL: integer({ min: 1, max: 256, default: 1 }).describe(
      "set it to the slots per model, the same as OLLAMA_NUM_PARALLEL on this machine (default 1).",
    ),
    WORKER_QUEUE: integer({ min: 0, max: 100_000, default: 32 }).describe(
      "set it to how many requests per model may wait for a slot (default 32; 0 refuses any wait).",
    ),
    WORKER_MAX_CONNECTIONS_PER_ADDRESS: integer({ min: 1, max: 100_000, default: 256 }).describe(
      "set it to how many connections one client address may hold at once (default 256, room for a bot's councils; more are refused with 503).",
    ),
    WORKER_MAX_BODY_BYTES: integer({ min: 1024 * 1024, max: 256 * 1024 * 1024, default: DEFAULT_MAX_BODY_BYTES }).describe(
      "set it to the largest request body in bytes the worker reads, from 1048576 (1 MiB) to 268435456 (256 MiB); the default 50331648 (48 MiB) takes three 10 MiB images and a prompt.",
    ),
    WORKER_SHUTDOWN_GRACE_SECONDS: integer({ min: 0, max: 3600, default: 30 }).describe(
      "set it to the seconds in-flight generations get to finish after SIGTERM before they are cut off (default 30; 0 cuts them at once).",
    ),
    LOG_LEVEL: logLevel(),
  })
  .superRefine((settings, ctx) => {
    if (settings.WORKER_TOKEN === undefined && !isLoopback(settings.WORKER_HOST)) {
      ctx.addIssue({
        code: "custom",
        path: ["WORKER_TOKEN"],
        message: `is required because WORKER_HOST=${settings.WORKER_HOST} is reachable from the network, and without a token anyone there could use the GPU box`,
      });
    }
  });

export type WorkerConfig = z.output<typeof workerSettings>;

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
