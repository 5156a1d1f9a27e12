import { describe, expect, it } from "vitest";
import { ConfigError, loadBotConfig, loadWorkerConfig } from "./index.js";

describe("bot settings", () => {
  it("defaults to one machine: the local Ollama for members and chairman", () => {
    const config = loadBotConfig({});
    expect(config).toMatchObject({
      WORKER_URLS: ["http://127.0.0.1:11434"],
      CHAIRMAN_URL: "http://127.0.0.1:11434",
      COUNCIL_CONFIG: "config/presets.json",
    });
    expect(config.COUNCIL_PRESET).toBeUndefined();
  });

  it("reads several workers", () => {
    expect(loadBotConfig({ WORKER_URLS: "http://pc2:8001, http://pc3:8001/" }).WORKER_URLS).toEqual(["http://pc2:8001", "http://pc3:8001"]);
  });

  it("names the bad entry of a list", () => {
    expect(() => loadBotConfig({ WORKER_URLS: "http://pc2:8001,pc3:8001" })).toThrow('has "pc3:8001", which is not an http:// or https:// URL');
  });

  it("shares one .env with the worker without calling the other's settings typos", () => {
    const shared = { WORKER_URLS: "http://127.0.0.1:8001", WORKER_PORT: "8001", WORKER_TOKEN: "0123456789abcdef0123", CHAIRMAN_URL: "http://127.0.0.1:11434" };
    expect(() => loadBotConfig(shared)).not.toThrow();
    expect(() => loadWorkerConfig(shared)).not.toThrow();
    expect(() => loadBotConfig({ CHAIRMAN_URLS: "x" })).toThrow(ConfigError);
  });

  it("takes the admission limits and the council database, and refuses a queue that holds nobody", () => {
    expect(loadBotConfig({})).toMatchObject({
      COUNCIL_MAX_IN_FLIGHT: 4,
      COUNCIL_QUEUE_MAX: 50,
      COUNCIL_USER_QUEUE: 3,
      COUNCIL_USER_PER_HOUR: 30,
      COUNCIL_DB: "data/council.db",
      COUNCIL_SHUTDOWN_GRACE_SECONDS: 30,
    });
    expect(() => loadBotConfig({ COUNCIL_QUEUE_MAX: "0" })).toThrow('COUNCIL_QUEUE_MAX="0" must be a whole number from 1 to 10000');
    expect(() => loadBotConfig({ COUNCIL_SHUTDOWN_GRACE_SECONDS: "-1" })).toThrow("COUNCIL_SHUTDOWN_GRACE_SECONDS");
  });

  it("ends each council's thread with its timeline unless COUNCIL_TIMELINE is off", () => {
    expect(loadBotConfig({}).COUNCIL_TIMELINE).toBe("on");
    expect(loadBotConfig({ COUNCIL_TIMELINE: "off" }).COUNCIL_TIMELINE).toBe("off");
    expect(() => loadBotConfig({ COUNCIL_TIMELINE: "no" })).toThrow("COUNCIL_TIMELINE");
  });

  it("serves no metrics unless METRICS_PORT is set, and then on this machine only unless METRICS_HOST says otherwise", () => {
    const config = loadBotConfig({});
    expect(config.METRICS_PORT).toBeUndefined();
    expect(config.METRICS_HOST).toBe("127.0.0.1");
    expect(loadBotConfig({ METRICS_PORT: " " }).METRICS_PORT).toBeUndefined();
    expect(loadBotConfig({ METRICS_PORT: "9464" })).toMatchObject({ METRICS_PORT: 9464, METRICS_HOST: "127.0.0.1" });
    expect(loadBotConfig({ METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" }).METRICS_HOST).toBe("0.0.0.0");
  });

  it("calls a misspelt METRICS_ setting a typo, as it does the others", () => {
    expect(() => loadBotConfig({ METRICS_PROT: "9464" })).toThrow("METRICS_PROT is not a council setting. Did you mean METRICS_PORT?");
  });

  it("refuses a METRICS_PORT that is not a port, naming the key and the fix", () => {
    for (const bad of ["abc", "0", "65536", "94.64", "-1"]) {
      let error: unknown;
      try {
        loadBotConfig({ METRICS_PORT: bad });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).keys).toEqual(["METRICS_PORT"]);
      expect((error as ConfigError).message).toContain(`METRICS_PORT=${JSON.stringify(bad)} must be a whole number from 1 to 65535. Fix: set it to a free TCP port`);
    }
  });
});
