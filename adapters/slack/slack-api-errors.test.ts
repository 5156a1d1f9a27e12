import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { classify } from "./slack-api.js";

// Slack answers its own trouble as ok:false with HTTP 200; those errors are worth a retry, or
// a card's final update is lost to one hiccup (found by src/main-secrets.test.ts).

const platformError = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: webApi.ErrorCode.PlatformError, data: { ok: false, error } });

describe("classify: Slack's ok:false errors", () => {
  it.each(["internal_error", "fatal_error", "service_unavailable", "request_timeout"])("%s is transient: retried", (error) => {
    expect(classify(platformError(error)).kind).toBe("transient");
  });

  it.each([
    ["invalid_blocks", "invalid"],
    ["message_not_found", "gone"],
    ["not_in_channel", "forbidden"],
    ["ratelimited", "rate-limited"],
  ])("%s stays %s", (error, kind) => {
    expect(classify(platformError(error)).kind).toBe(kind);
  });
});
