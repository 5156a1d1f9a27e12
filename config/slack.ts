import type { z } from "zod";
import { httpUrl, idList, integer, oneOf, originList, secret, textWithDefault } from "./settings.js";

// Slack is enabled by SLACK_BOT_TOKEN. Socket Mode (the default) needs the app-level token and
// nothing public; HTTP mode needs the signing secret and serves Slack's requests.
export const slackSettings = {
  SLACK_BOT_TOKEN: secret({ minLength: 10 }).describe(
    "set it to the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page, or leave it empty to run without Slack.",
  ),
  SLACK_APP_TOKEN: secret({ minLength: 10 }).describe("set it to an app-level token (xapp-…) with the connections:write scope (Basic Information > App-Level Tokens)."),
  SLACK_SIGNING_SECRET: secret({ minLength: 10 }).describe("set it to the Signing Secret from your Slack app's Basic Information page."),
  SLACK_MODE: oneOf(["socket", "http"] as const, "socket").describe("set it to socket (Socket Mode, the default) or http (Slack posts to SLACK_HTTP_PORT)."),
  SLACK_API_URL: httpUrl("https://slack.com/api").describe("leave it empty for Slack's own Web API, or set the base URL of a proxy."),
  SLACK_HTTP_HOST: textWithDefault("127.0.0.1").describe("set it to the address Slack's requests arrive on (behind your HTTPS proxy)."),
  SLACK_HTTP_PORT: integer({ min: 1, max: 65_535, default: 8003 }).describe("set it to a free TCP port for Slack's requests, e.g. 8003."),
  SLACK_FILE_HOSTS: originList("https://files.slack.com").describe(
    "list the origins Slack serves shared files from, comma-separated (default https://files.slack.com); the bot token is sent to these only, and files anywhere else are refused.",
  ),
  SLACK_ADMIN_USER_IDS: idList().describe("list the Slack user ids (U…) allowed to run /council-health, comma-separated."),
};

export function checkSlackSettings(
  settings: { SLACK_BOT_TOKEN?: string; SLACK_APP_TOKEN?: string; SLACK_SIGNING_SECRET?: string; SLACK_MODE: string },
  ctx: z.RefinementCtx,
): void {
  if (settings.SLACK_BOT_TOKEN === undefined) return;
  if (!settings.SLACK_BOT_TOKEN.startsWith("xoxb-")) {
    ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "must be a bot token, starting with xoxb-" });
  }
  if (settings.SLACK_MODE === "socket" && !settings.SLACK_APP_TOKEN?.startsWith("xapp-")) {
    ctx.addIssue({ code: "custom", path: ["SLACK_APP_TOKEN"], message: "is needed in Socket Mode: an app-level token starting with xapp-" });
  }
  if (settings.SLACK_MODE === "http" && settings.SLACK_SIGNING_SECRET === undefined) {
    ctx.addIssue({ code: "custom", path: ["SLACK_SIGNING_SECRET"], message: "is needed in http mode, to verify Slack's requests" });
  }
}
