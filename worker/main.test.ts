import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ENTRY = fileURLToPath(new URL("main.ts", import.meta.url));

describe("npm run worker", () => {
  it("refuses to start on a network address without a token, and says why", async () => {
    // Run from a folder of its own, so a developer's .env in the repository cannot supply a token.
    const cwd = await mkdtemp(join(tmpdir(), "council-worker-main-"));
    const outcome = await run(process.execPath, ["--import", import.meta.resolve("tsx"), ENTRY], {
      cwd,
      env: { PATH: process.env.PATH, WORKER_HOST: "0.0.0.0" },
      timeout: 15_000,
    })
      .catch((error: { code: number; stderr: string }) => error)
      .finally(() => rm(cwd, { recursive: true, force: true }));
    expect(outcome).toMatchObject({ code: 1 });
    const stderr = (outcome as { stderr: string }).stderr;
    expect(stderr).toContain("council worker cannot start");
    expect(stderr).toContain("WORKER_TOKEN=(not set) is required because WORKER_HOST=0.0.0.0 is reachable from the network");
  });
});
