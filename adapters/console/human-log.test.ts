import { describe, expect, it } from "vitest";
import { createLogger } from "../../config/logger.js";
import { captureOutput } from "./capture-output.js";
import { humanLogLines } from "./human-log.js";

describe("the console's log lines", () => {
  it("are sentences, not JSON, and still keep secrets out", async () => {
    const out = captureOutput();
    const logger = createLogger({ level: "info", secrets: ["s3cret-token-0123456"], destination: humanLogLines(out.stream) });
    logger.child({ module: "llm-router" }).warn({ url: "http://pc2:8001", reason: "refused s3cret-token-0123456" }, "worker down; skipping it");
    logger.error({ err: new Error("boom"), tries: 2 }, "it broke");
    logger.debug("not at this level");
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).toBe(
      "council warning (llm-router): worker down; skipping it (url: http://pc2:8001, reason: refused [REDACTED])\ncouncil error: it broke (err: boom, tries: 2)\n",
    );
  });
});
