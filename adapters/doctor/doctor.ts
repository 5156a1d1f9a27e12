import type { Env } from "../../config/load.js";
import { type CheckLine, skip } from "../../src/doctor/check-line.js";
import { checkDatabase } from "../../src/doctor/database-check.js";
import { checkModels, modelNeeds } from "../../src/doctor/model-check.js";
import { checkServer, serversToCheck } from "../../src/doctor/server-check.js";
import { checkSettings } from "../../src/doctor/settings-check.js";
import { checkDiscord } from "../discord/doctor-check.js";
import { checkSlack } from "../slack/doctor-check.js";
import { formatSection, formatSummary } from "./report.js";

// `npm run doctor`: everything a user set up, checked in the order it is needed, each section
// written as soon as it is known. Reads only, apart from the council database, which is opened
// as the bot would open it. Exit code 0 only when every check passed.

export interface DoctorDeps {
  /** The environment; .env is loaded into it, under what it already holds (process.env for npm run doctor). */
  env: Env;
  dotEnvPath: string;
  write: (text: string) => void;
  fetch?: typeof globalThis.fetch;
}

export async function runDoctor(deps: DoctorDeps): Promise<number> {
  const all: CheckLine[] = [];
  const section = (title: string, lines: CheckLine[]) => {
    all.push(...lines);
    deps.write(formatSection(title, lines));
  };

  const settings = checkSettings(deps.env, deps.dotEnvPath);
  section("Settings", settings.lines);
  const { config, presets } = settings;
  if (!config) {
    deps.write("\nNothing else can be checked before the settings are fixed.\n");
    return finish(all, deps);
  }

  const needs = presets ? modelNeeds(presets) : undefined;
  // Without the presets, whether a chairman is needed is unknown: its server is checked anyway.
  const needsChairman = needs === undefined || needs.some((need) => need.role === "chairman");
  // Discord and Slack need nothing of the servers: asked meanwhile, written after the models.
  const chats = Promise.all([checkDiscord(config, presets?.names), checkSlack(config)]);
  // Awaited below; until then a failure of it must not count as unhandled (and end the process).
  chats.catch(() => undefined);
  const checked = await Promise.all(
    serversToCheck(config.WORKER_URLS, needsChairman ? config.CHAIRMAN_URL : undefined).map(({ url, roles }) =>
      checkServer(url, roles, { token: config.WORKER_TOKEN, fetch: deps.fetch }),
    ),
  );
  section("Servers", checked.flatMap((result) => result.lines));
  section("Models", needs ? await checkModels(needs, checked.map((result) => result.server)) : [skip("not checked: the presets file needs fixing first")]);

  const [discord, slack] = await chats;
  section("Discord", discord);
  section("Slack", slack);
  section("Database", [checkDatabase(config.COUNCIL_DB)]);
  return finish(all, deps);
}

function finish(lines: readonly CheckLine[], deps: DoctorDeps): number {
  deps.write(formatSummary(lines));
  return lines.some((line) => line.status === "fail") ? 1 : 0;
}
