import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createNpmProject, type NpmProject } from "../../test-support/npm-project.js";

// `npm run doctor -- --help`, as a user types it: the help, and no check run.

let project: NpmProject;
beforeAll(async () => {
  project = await createNpmProject();
});
afterAll(() => project.remove());

it("prints the doctor's help instead of running the checks", async () => {
  const run = project.run(["run", "doctor", "--", "--help"], { COUNCIL_DB: join(project.dir, "council.db") });
  expect(await run.endedWithin(60_000)).toEqual({ code: 0, signal: null });
  const help = run.stdout();
  expect(help).toContain("council doctor 0.1.0: checks everything the bot will need");
  expect(help).toMatch(/^ {2}WORKER_URLS/m);
  expect(help).toMatch(/^ {2}1 {2}a check failed/m);
  // No check ran: no ✓ or ✗ line, and the database it would have opened was not created.
  expect(help).not.toMatch(/^ {2}[✓✗]/m);
  expect(existsSync(join(project.dir, "council.db"))).toBe(false);
}, 90_000);

it("refuses an option it does not know, with exit code 2", async () => {
  const run = project.run(["run", "doctor", "--", "--fix"]);
  expect(await run.endedWithin(60_000)).toEqual({ code: 2, signal: null });
  expect(run.stderr()).toContain("council doctor takes no option but --help and --version");
}, 90_000);
