import { webApi } from "@slack/bolt";
import type { BotConfig } from "../../config/index.js";
import { type CheckLine, fail, pass, skip } from "../../src/doctor/check-line.js";
import { classify, slackErrorOf } from "./slack-api.js";

// What `npm run doctor` asks Slack: auth.test with the bot token (who the bot is, in which
// workspace) and, in Socket Mode, apps.connections.open with the app-level token. The latter
// connects nothing: it hands out a one-use WebSocket URL that expires unused, and it is the one
// call that proves the token may open Socket Mode connections (connections:write).

type SlackSettings = Pick<BotConfig, "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN" | "SLACK_MODE" | "SLACK_API_URL">;

const TIMEOUT_MS = 10_000;
// The answers that mean "this token is not one Slack takes here", as opposed to Slack or the network failing.
const TOKEN_REFUSED = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type", "missing_scope"]);

export async function checkSlack(config: SlackSettings): Promise<CheckLine[]> {
  if (config.SLACK_BOT_TOKEN === undefined) return [skip("Slack is not configured (SLACK_BOT_TOKEN is empty)")];
  const lines = [await botTokenLine(config, config.SLACK_BOT_TOKEN)];
  // The settings require SLACK_APP_TOKEN in Socket Mode (config/slack.ts): only HTTP mode goes without it.
  const appToken = config.SLACK_MODE === "socket" ? config.SLACK_APP_TOKEN : undefined;
  if (appToken !== undefined) lines.push(await appTokenLine(config, appToken));
  else lines.push(skip("HTTP mode: SLACK_SIGNING_SECRET is checked by Slack's own requests (see README, Slack)"));
  return lines;
}

async function botTokenLine(config: SlackSettings, token: string): Promise<CheckLine> {
  try {
    const auth = await client(config, token).auth.test();
    return pass(`Slack accepts SLACK_BOT_TOKEN: the bot ${auth.user ?? "?"} in workspace ${auth.team ?? auth.team_id ?? "?"}`);
  } catch (error) {
    const code = slackErrorOf(classify(error));
    if (code !== undefined && TOKEN_REFUSED.has(code)) {
      return fail(
        `Slack refused SLACK_BOT_TOKEN (${code})`,
        "copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page into SLACK_BOT_TOKEN; install the app to the workspace first if it is not",
      );
    }
    return unanswered(config, error);
  }
}

async function appTokenLine(config: SlackSettings, token: string): Promise<CheckLine> {
  try {
    await client(config, token).apps.connections.open();
    return pass("Slack accepts SLACK_APP_TOKEN for Socket Mode");
  } catch (error) {
    const code = slackErrorOf(classify(error));
    if (code !== undefined) {
      return fail(
        `Slack refused SLACK_APP_TOKEN for Socket Mode (${code})`,
        "under Basic Information > App-Level Tokens, create a token with the connections:write scope and put it (xapp-…) in SLACK_APP_TOKEN; check that Socket Mode is on",
      );
    }
    return unanswered(config, error);
  }
}

function client(config: SlackSettings, token: string) {
  // No retries: the doctor reports Slack's first answer instead of waiting out a backoff.
  return new webApi.WebClient(token, {
    slackApiUrl: `${config.SLACK_API_URL}/`,
    retryConfig: { retries: 0 },
    timeout: TIMEOUT_MS,
    logLevel: webApi.LogLevel.ERROR,
  });
}

function unanswered(config: SlackSettings, error: unknown): CheckLine {
  return fail(`Slack did not answer at ${config.SLACK_API_URL} (${(error as Error).message})`, "check this machine's connection to slack.com, or SLACK_API_URL if it is set");
}
