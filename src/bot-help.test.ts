import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botSettings } from "../config/bot.js";
import { createNpmProject, type NpmProject, type NpmRun } from "../test-support/npm-project.js";

// `npm start -- --help` and `-- --version`, as a user types them: they print, and start nothing.

let project: NpmProject;
beforeAll(async () => {
  project = await createNpmProject();
});
afterAll(() => project.remove());

const ended = (run: NpmRun) => run.endedWithin(60_000);

const flat = (text: string) => text.replace(/\s+/g, " ");

describe("npm start's command line", () => {
  it("prints the help instead of starting: every setting the bot reads, with its description, the stopping and the exit codes", async () => {
    const run = project.run(["start", "--", "--help"], { COUNCIL_DB: join(project.dir, "council.db") });
    expect(await ended(run)).toEqual({ code: 0, signal: null });
    const help = run.stdout();
    expect(help).toContain("council bot 0.1.0: a council of local Ollama models behind Discord and Slack.");
    for (const [key, schema] of Object.entries(botSettings.shape)) {
      expect(help).toContain(`\n  ${key}`);
      expect(flat(help)).toContain(flat(schema.description ?? "?"));
    }
    expect(help).toMatch(/^Stopping:\n {2}- SIGTERM or Ctrl-C/m);
    expect(help).toMatch(/^ {2}130, 143 {2}stopped at once by a second SIGINT or SIGTERM$/m);
    // It started nothing: no database, no probe of the servers (which says what it reached).
    expect(existsSync(join(project.dir, "council.db"))).toBe(false);
    expect(help + run.stderr()).not.toMatch(/reachable/i);
  }, 90_000);

  it("prints the version", async () => {
    const run = project.run(["start", "--silent", "--", "--version"]);
    expect(await ended(run)).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toBe("council bot 0.1.0\n");
  }, 90_000);
});
