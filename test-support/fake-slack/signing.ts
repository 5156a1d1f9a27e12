// Request signing as Slack does it for HTTP mode: X-Slack-Signature = "v0=" + hex
// HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}"), X-Slack-Request-Timestamp in unix
// seconds. Bolt's HTTPReceiver refuses (401) a wrong signature or a timestamp over 5 minutes old.
import { createHmac } from "node:crypto";
import type { SignableBody, SignedRequest, SignOptions } from "./types.js";

export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** Encodes a body as Slack would send it: events as JSON, slash commands (URLSearchParams) form-encoded. */
export function encodeBody(body: SignableBody, contentType: SignOptions["contentType"]): { text: string; type: "json" | "form" } {
  if (typeof body === "string") return { text: body, type: contentType ?? (body.trimStart().startsWith("{") ? "json" : "form") };
  if (body instanceof URLSearchParams) return { text: body.toString(), type: "form" };
  if (contentType === "form") {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(body)) {
      if (value !== undefined) form.set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    return { text: form.toString(), type: "form" };
  }
  return { text: JSON.stringify(body), type: "json" };
}

/** The body and the headers of a signed request; the timestamp defaults to the wall clock. */
export function signedRequest(body: SignableBody, options: SignOptions): SignedRequest {
  const { text, type } = encodeBody(body, options.contentType);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body: text,
    headers: {
      "Content-Type": type === "json" ? "application/json" : "application/x-www-form-urlencoded",
      "X-Slack-Request-Timestamp": String(timestamp),
      "X-Slack-Signature": slackSignature(options.signingSecret, timestamp, text),
    },
  };
}
