import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { startTestCouncil } from "../../test-support/test-council.js";
import { captureOutput } from "./capture-output.js";
import { EXIT, runCli } from "./cli.js";
import { runConsole } from "./interactive.js";

// The question length limit on the terminal (issue 6): an over-long question is refused with
// the limit named, and no model is asked anything. The test presets keep the default 4000.

let council: Awaited<ReturnType<typeof startTestCouncil>> | undefined;
afterEach(async () => {
  await council?.close();
  council = undefined;
});

/** Chat requests that ask a model something (a preload is a chat without messages). */
function asks(): number {
  return (council?.fake.requests ?? []).filter((request) => request.path === "/api/chat" && ((request.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0).length;
}

describe("a question over the length limit on the terminal", () => {
  it("npm run council: exits 2 naming the limit, and no model is asked", async () => {
    council = await startTestCouncil();
    const stdout = captureOutput();
    const stderr = captureOutput();
    const code = await runCli(["z".repeat(4001), "--json"], { stdout: stdout.stream, stderr: stderr.stream, openCore: council.openCore });
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(EXIT.badInput);
    expect(stdout.text()).toBe("");
    expect(stderr.text()).toContain("The question is 4001 characters long; the limit is 4000");
    expect(asks()).toBe(0);
  });

  it("the interactive console: says so, and no model is asked", async () => {
    council = await startTestCouncil();
    const output = captureOutput();
    await runConsole(council.openCore(), { input: Readable.from([`${"z".repeat(4001)}\n`]), output: output.stream });
    await new Promise((resolve) => setImmediate(resolve));
    expect(output.text()).toContain("The question is 4001 characters long; the limit is 4000");
    expect(asks()).toBe(0);
  });
});
