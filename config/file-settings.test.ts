import { describe, expect, it } from "vitest";
import { loadBotConfig } from "./index.js";

describe("the settings of attached files", () => {
  it("fetches files from the platforms' own hosts, up to 10 MB and 30 seconds, by default", () => {
    expect(loadBotConfig({})).toMatchObject({
      FILE_MAX_BYTES: 10 * 1024 * 1024,
      FILE_DOWNLOAD_TIMEOUT_SECONDS: 30,
      DISCORD_FILE_HOSTS: ["https://cdn.discordapp.com", "https://media.discordapp.net"],
      SLACK_FILE_HOSTS: ["https://files.slack.com"],
    });
  });

  it("takes https origins, and plain http only on this machine (the tests' fakes, a local proxy)", () => {
    const config = loadBotConfig({ SLACK_FILE_HOSTS: "https://files.example.com/, http://127.0.0.1:4567", DISCORD_FILE_HOSTS: "http://localhost:80" });
    expect(config.SLACK_FILE_HOSTS).toEqual(["https://files.example.com", "http://127.0.0.1:4567"]);
    expect(config.DISCORD_FILE_HOSTS).toEqual(["http://localhost"]);
  });

  it("refuses a host over plain http elsewhere, a path, or a blank list, naming the key and the entry", () => {
    expect(() => loadBotConfig({ SLACK_FILE_HOSTS: "http://files.slack.com" })).toThrow(/SLACK_FILE_HOSTS=.*has "http:\/\/files\.slack\.com", which is not an https:\/\/ origin/);
    expect(() => loadBotConfig({ DISCORD_FILE_HOSTS: "https://cdn.discordapp.com/attachments" })).toThrow("DISCORD_FILE_HOSTS");
    expect(() => loadBotConfig({ DISCORD_FILE_HOSTS: " , " })).toThrow("must list at least one https:// origin");
  });

  it("refuses a cap or a timeout that is not a positive whole number, and calls a misspelt FILE_ setting a typo", () => {
    expect(() => loadBotConfig({ FILE_MAX_BYTES: "10MB" })).toThrow("FILE_MAX_BYTES");
    expect(() => loadBotConfig({ FILE_DOWNLOAD_TIMEOUT_SECONDS: "0" })).toThrow("FILE_DOWNLOAD_TIMEOUT_SECONDS");
    expect(() => loadBotConfig({ FILE_MAX_BYTE: "5" })).toThrow("FILE_MAX_BYTE is not a council setting. Did you mean FILE_MAX_BYTES?");
  });
});
