import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("npm run worker", () => {
  it("refuses to start on a network address without a token, and says why", async () => {
    const outcome = await run(process.execPath, ["--import", "tsx", "worker/main.ts"], {
      env: { PATH: process.env.PATH, WORKER_HOST: "0.0.0.0" },
      timeout: 15_000,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(outcome).toMatchObject({ code: 1 });
    const stderr = (outcome as { stderr: string }).stderr;
    expect(stderr).toContain("council worker cannot start");
    expect(stderr).toContain("WORKER_TOKEN=(not set) is required because WORKER_HOST=0.0.0.0 is reachable from the network");
  });
});
