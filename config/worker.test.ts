import { describe, expect, it } from "vitest";
import { ConfigError, loadWorkerConfig } from "./index.js";

function failure(env: Record<string, string>): ConfigError {
  try {
    loadWorkerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("worker settings", () => {
  it("has working defaults for one machine", () => {
    const config = loadWorkerConfig({});
    expect(config).toMatchObject({
      OLLAMA_URL: "http://127.0.0.1:11434",
      WORKER_HOST: "127.0.0.1",
      WORKER_PORT: 8001,
      WORKER_PARALLEL: 1,
      WORKER_QUEUE: 32,
      WORKER_MAX_CONNECTIONS_PER_ADDRESS: 256,
      WORKER_MAX_BODY_BYTES: 48 * 1024 * 1024,
      LOG_LEVEL: "info",
    });
    expect(config.WORKER_TOKEN).toBeUndefined();
    expect(config.WORKER_MODELS).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("parses lists, numbers and URLs", () => {
    const config = loadWorkerConfig({
      OLLAMA_URL: "http://gpu-box:11434/",
      WORKER_MODELS: " llama3.2:3b , qwen2.5:7b ",
      WORKER_PARALLEL: "4",
      WORKER_QUEUE: "0",
      WORKER_HOST: "0.0.0.0",
      WORKER_TOKEN: "0123456789abcdef0123",
    });
    expect(config.OLLAMA_URL).toBe("http://gpu-box:11434");
    expect(config.WORKER_MODELS).toEqual(["llama3.2:3b", "qwen2.5:7b"]);
    expect(config.WORKER_PARALLEL).toBe(4);
    expect(config.WORKER_QUEUE).toBe(0);
  });

  it("refuses a network address without a token, and says why and how to fix it", () => {
    const error = failure({ WORKER_HOST: "0.0.0.0" });
    expect(error.keys).toEqual(["WORKER_TOKEN"]);
    expect(error.message).toContain("WORKER_HOST=0.0.0.0 is reachable from the network");
    expect(error.message).toContain("openssl rand -hex 32");
  });

  it("accepts loopback without a token", () => {
    for (const host of ["127.0.0.1", "localhost", "::1", "127.0.0.2"]) {
      expect(loadWorkerConfig({ WORKER_HOST: host }).WORKER_HOST).toBe(host);
    }
  });

  it("names every bad key, the value's problem and the fix, in one message", () => {
    const error = failure({ WORKER_PORT: "80a", OLLAMA_URL: "localhost:11434", WORKER_PARALLEL: "0" });
    expect([...error.keys].sort()).toEqual(["OLLAMA_URL", "WORKER_PARALLEL", "WORKER_PORT"]);
    expect(error.message).toContain('WORKER_PORT="80a" must be a whole number from 1 to 65535. Fix: set it to a free TCP port');
    expect(error.message).toContain('OLLAMA_URL="localhost:11434" is not an http:// or https:// URL');
    expect(error.message).toContain("3 settings need fixing");
  });

  it("reports a mistyped key with the setting it probably meant", () => {
    const error = failure({ WORKER_PORTT: "8002" });
    expect(error.message).toContain("WORKER_PORTT is not a council setting. Did you mean WORKER_PORT?");
  });

  it("never prints a secret's value", () => {
    const error = failure({ WORKER_TOKEN: "short-secret" });
    expect(error.message).toContain("WORKER_TOKEN=(hidden) is too short");
    expect(error.message).not.toContain("short-secret");
  });

  it("bounds the request body between 1 MiB and 256 MiB", () => {
    expect(loadWorkerConfig({ WORKER_MAX_BODY_BYTES: "16777216" }).WORKER_MAX_BODY_BYTES).toBe(16 * 1024 * 1024);
    expect(failure({ WORKER_MAX_BODY_BYTES: "1000" }).message).toContain('WORKER_MAX_BODY_BYTES="1000" must be a whole number from 1048576 to 268435456');
  });

  it("treats a blank value as unset", () => {
    expect(loadWorkerConfig({ WORKER_PORT: "", WORKER_MODELS: " " })).toMatchObject({ WORKER_PORT: 8001, WORKER_MODELS: undefined });
  });
});
