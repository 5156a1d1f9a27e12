import { describe, expect, it } from "vitest";
import { captureLogs } from "../test-support/log-capture.js";

// What the logger keeps out of every line, whichever field or message carries it.

const TOKEN = "configured-secret-0123456789";

describe("createLogger's redaction", () => {
  it("scrubs a configured secret from any field, message or nested error, also in a child logger", () => {
    const logs = captureLogs([TOKEN, undefined, ""]);
    logs.logger.child({ module: "x" }).error({ err: new Error(`refused ${TOKEN}`), nested: { deep: [TOKEN] } }, `tried ${TOKEN}`);
    expect(logs.text()).toContain("refused [REDACTED]");
    expect(logs.text()).toContain("tried [REDACTED]");
    expect(logs.text()).not.toContain(TOKEN);
  });

  it("censors Authorization headers, even with a token it was not told about", () => {
    const logs = captureLogs();
    logs.logger.warn({ headers: { authorization: "Bearer someone-elses-guess-42" }, req: { headers: { authorization: "Bot guessed-2" } } }, "refused");
    expect(logs.text()).not.toMatch(/someone-elses-guess-42|guessed-2/);
    expect(logs.entries()[0]).toMatchObject({ headers: { authorization: "[REDACTED]" } });
  });

  it.each([
    ["a Discord interaction webhook", "http://127.0.0.1:5000/api/v10/webhooks/1573522825191489536/aW50ZXJhY3Rpb246MTU3MzUy_ODI1NTk0-MTQyNzI4/messages/@original", "aW50ZXJhY3Rpb246MTU3MzUy_ODI1NTk0-MTQyNzI4"],
    ["a Discord interaction callback", "https://discord.com/api/v10/interactions/1573522825191489536/aW50ZXJhY3Rpb246MTU3MzUyODI1/callback", "aW50ZXJhY3Rpb246MTU3MzUyODI1"],
    ["a Slack response_url", "https://hooks.slack.com/commands/T0TEAM001/1234567890123/AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"],
  ])("scrubs the token inside %s's URL, which a platform client's error quotes", (_name, url, token) => {
    const logs = captureLogs();
    logs.logger.warn({ err: Object.assign(new Error("Invalid Form Body"), { url }) }, "a card update failed");
    expect(logs.text()).not.toContain(token);
    expect(logs.text()).toContain("[REDACTED]");
    expect(logs.text()).toContain("a card update failed");
  });
});
