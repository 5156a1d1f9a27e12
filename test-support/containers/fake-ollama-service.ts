import { loadPresets } from "../../config/presets.js";
import { type FakeModel, startFakeOllama } from "../fake-ollama/index.js";
import { relay } from "./relay.js";
import { report } from "./report.js";

// The container test's `ollama` service: the fake Ollama with every model of the shipped
// presets pulled, on Ollama's port. Models answer at a few tokens a second, so a council takes
// several seconds: long enough to be stopped in the middle of one.

const OLLAMA_PORT = 11434;
const DECODE_TOKENS_PER_SECOND = 8;

const catalog = loadPresets("config/presets.json");
const names = new Set(catalog.names.flatMap((name) => {
  const preset = catalog.get(name);
  return [...preset.members.map((member) => member.model), preset.chairman.model];
}));
const models: Record<string, FakeModel> = Object.fromEntries([...names].map((name) => [name, { decodeTokensPerSecond: DECODE_TOKENS_PER_SECOND }]));

const fake = await startFakeOllama({ models });
const server = await relay(OLLAMA_PORT, new URL(fake.url));
report("ollama-ready", { models: [...names] });

process.once("SIGTERM", () => {
  server.close();
  void fake.close().then(() => process.exit(0));
});
