import { serviceHealth } from "../../wire/worker-health.js";
import { LlmRefusedError, LlmUnreachableError, OLLAMA_DOWNLOAD_URL } from "../llm/errors.js";
import { causeCode } from "../llm/http-failures.js";
import { canonicalModelName } from "../llm/model-name.js";
import { createOllamaClient, type OllamaClient } from "../llm/ollama-client.js";
import { type CheckLine, fail, pass } from "./check-line.js";

// One server the bot calls (a council worker or a plain Ollama): does anything answer, is it
// Ollama or a worker, which versions, does it take WORKER_TOKEN, which models does it serve.

export type ServerRole = "members" | "chairman";

export interface CheckedServer {
  url: string;
  roles: readonly ServerRole[];
  client: OllamaClient;
  /** It answers as Ollama does and takes the token, so its models could be listed. */
  usable: boolean;
  /** Canonical names of the models it serves; a worker lists only those its WORKER_MODELS allows. */
  models: ReadonlySet<string>;
}

export interface ServerCheckOptions {
  token?: string;
  fetch?: typeof globalThis.fetch;
}

// A worker with a WORKER_TOKEN refuses this one; a worker that takes it checks no token at all.
const WRONG_TOKEN = "council-doctor-deliberately-wrong-token";
const IDENTIFY_TIMEOUT_MS = 10_000;

export async function checkServer(url: string, roles: readonly ServerRole[], options: ServerCheckOptions): Promise<{ server: CheckedServer; lines: CheckLine[] }> {
  const client = createOllamaClient({ baseUrl: url, token: options.token, fetch: options.fetch });
  const server = { url, roles, client, usable: false, models: new Set<string>() };
  const where = `${url} (${rolesText(roles)})`;
  const identity = await identify(url, options.fetch ?? globalThis.fetch);
  if (identity.kind === "silent") {
    return { server, lines: [fail(`${where}: nothing answers (${identity.reason})`, unreachableFix(roles))] };
  }

  let ollamaVersion: string;
  try {
    ollamaVersion = await client.version();
  } catch (error) {
    return { server, lines: [versionFailure(where, identity.kind === "worker", roles, options.token, error)] };
  }
  const lines = [
    pass(
      identity.kind === "worker"
        ? `${where}: council worker ${identity.version}, in front of Ollama ${ollamaVersion}`
        : `${where}: Ollama ${ollamaVersion} (a plain Ollama, which takes no token)`,
    ),
  ];
  if (identity.kind === "worker") lines.push(await tokenLine(url, options.fetch));

  try {
    const models = await client.listModels();
    return { server: { ...server, usable: true, models: new Set(models.map(canonicalModelName)) }, lines };
  } catch (error) {
    return { server, lines: [...lines, fail(`${where} did not list its models: ${(error as Error).message}`, `check the logs of ${url}; then run npm run doctor again`)] };
  }
}

type Identity = { kind: "worker"; version: string } | { kind: "other" } | { kind: "silent"; reason: string };

/** A council worker answers GET /health without a token; Ollama answers 404 there. */
async function identify(url: string, fetchImpl: typeof globalThis.fetch): Promise<Identity> {
  try {
    const response = await fetchImpl(`${url}/health`, { signal: AbortSignal.timeout(IDENTIFY_TIMEOUT_MS) });
    const text = await response.text();
    const health = serviceHealth.safeParse(parseJson(text));
    return health.success ? { kind: "worker", version: health.data.version } : { kind: "other" };
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    return { kind: "silent", reason: timedOut ? `no answer within ${IDENTIFY_TIMEOUT_MS / 1000} s` : (causeCode(error) ?? (error as Error).message) };
  }
}

function versionFailure(where: string, isWorker: boolean, roles: readonly ServerRole[], token: string | undefined, error: unknown): CheckLine {
  if (error instanceof LlmRefusedError) {
    return token === undefined
      ? fail(`${where}: the worker wants a token, and WORKER_TOKEN is not set here`, "set WORKER_TOKEN in this machine's .env to the WORKER_TOKEN in the worker's .env")
      : fail(`${where}: the worker refused WORKER_TOKEN (401)`, "set WORKER_TOKEN in this machine's .env to the same value as WORKER_TOKEN in the worker's .env");
  }
  if (isWorker && error instanceof LlmUnreachableError) {
    // The worker itself answered /health, so what does not answer is the Ollama behind it (502).
    return fail(`${where}: the worker answers, but its Ollama does not`, `on the worker's machine, start Ollama (\`ollama serve\`; install it from ${OLLAMA_DOWNLOAD_URL}), or correct OLLAMA_URL in the worker's .env`);
  }
  return fail(`${where} answers, but not as Ollama does (${(error as Error).message})`, `point ${settingOf(roles)} at an Ollama (port 11434) or a council worker (port 8001)`);
}

async function tokenLine(url: string, fetchImpl: typeof globalThis.fetch | undefined): Promise<CheckLine> {
  const checksTokens = await createOllamaClient({ baseUrl: url, token: WRONG_TOKEN, fetch: fetchImpl })
    .version()
    .then(() => false, (error: unknown) => error instanceof LlmRefusedError);
  return checksTokens
    ? pass(`the worker at ${url} accepts WORKER_TOKEN`)
    : pass(`the worker at ${url} asks for no token (it has no WORKER_TOKEN, so it listens on its own machine only)`);
}

function unreachableFix(roles: readonly ServerRole[]): string {
  const ollama = `start Ollama there (\`ollama serve\`; install it from ${OLLAMA_DOWNLOAD_URL})`;
  return roles.includes("members")
    ? `${ollama}, or on a GPU box the council worker (\`npm run worker\`); or correct ${settingOf(roles)}`
    : `${ollama}, or set CHAIRMAN_URL to an Ollama that runs`;
}

function rolesText(roles: readonly ServerRole[]): string {
  if (roles.length === 2) return "members and chairman";
  return roles[0] === "members" ? "members" : "chairman";
}

/** The setting that sends the bot to a server in these roles. */
export function settingOf(roles: readonly ServerRole[]): string {
  return roles.length === 2 ? "WORKER_URLS and CHAIRMAN_URL" : roles[0] === "members" ? "WORKER_URLS" : "CHAIRMAN_URL";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Each server the bot calls, once, with the roles it serves: one machine often serves both. */
export function serversToCheck(memberUrls: readonly string[], chairmanUrl: string | undefined): Array<{ url: string; roles: ServerRole[] }> {
  const servers = memberUrls.map((url) => ({ url, roles: ["members"] as ServerRole[] }));
  if (chairmanUrl === undefined) return servers;
  const shared = servers.find((server) => server.url === chairmanUrl);
  if (shared) shared.roles.push("chairman");
  else servers.push({ url: chairmanUrl, roles: ["chairman"] });
  return servers;
}
