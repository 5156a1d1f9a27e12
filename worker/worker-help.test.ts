import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerSettings } from "../config/worker.js";
import { createNpmProject, type NpmProject, type NpmRun } from "../test-support/npm-project.js";

// `npm run worker -- --help` and `-- --version`, as a user types them: they print, and start nothing.

let project: NpmProject;
beforeAll(async () => {
  project = await createNpmProject();
});
afterAll(() => project.remove());

const ended = (run: NpmRun) => run.endedWithin(60_000);

const flat = (text: string) => text.replace(/\s+/g, " ");

describe("npm run worker's command line", () => {
  it("prints the help instead of starting: every setting the worker reads, with its description, the stopping and the exit codes", async () => {
    const run = project.run(["run", "worker", "--", "--help"]);
    expect(await ended(run)).toEqual({ code: 0, signal: null });
    const help = run.stdout();
    expect(help).toContain("council worker 0.1.0: Ollama's API for the council's GPU box");
    for (const [key, schema] of Object.entries(workerSettings.shape)) {
      expect(help).toContain(`\n  ${key}`);
      expect(flat(help)).toContain(flat(schema.description ?? "?"));
    }
    expect(help).toMatch(/^Stopping:\n {2}- SIGTERM or Ctrl-C/m);
    expect(help).toMatch(/^ {2}130, 143 {2}stopped at once by a second SIGINT or SIGTERM$/m);
    expect(help).not.toContain("worker ready");
  }, 90_000);

  it("prints the version", async () => {
    const run = project.run(["run", "--silent", "worker", "--", "--version"]);
    expect(await ended(run)).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toBe("council worker 0.1.0\n");
  }, 90_000);

  it("refuses an option it does not know, with exit code 2, before starting", async () => {
    const run = project.run(["run", "--silent", "worker", "--", "--port", "9000"]);
    expect(await ended(run)).toMatchObject({ code: 2 });
    expect(run.stderr()).toContain("council worker: Unknown option '--port'");
    expect(run.stdout()).not.toContain("worker ready");
  }, 90_000);
});
