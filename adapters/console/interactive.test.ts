import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runConsole } from "./interactive.js";
import { captureOutput } from "./capture-output.js";
import { startTestCouncil } from "../../test-support/test-council.js";

let council: Awaited<ReturnType<typeof startTestCouncil>> | undefined;
afterEach(async () => {
  await council?.close();
  council = undefined;
});

/** Types the lines into a console council and returns what it printed and what the models were sent. */
async function converse(lines: string[]) {
  council = await startTestCouncil();
  const output = captureOutput();
  await runConsole(council.openCore(), { input: Readable.from(lines.map((line) => `${line}\n`)), output: output.stream });
  await new Promise((resolve) => setImmediate(resolve));
  const answerCalls = council.fake.requests.filter((request) => request.model === "member-a" && request.format === undefined && request.path === "/api/chat");
  const messagesOf = (i: number) => (answerCalls[i]?.body as { messages: Array<{ role: string; content: string }> }).messages;
  return { text: output.text(), answerCalls, messagesOf };
}

describe("the console council", () => {
  it("says what it found: the servers, the preset and whether each model is there", async () => {
    const { text } = await converse(["/quit"]);
    expect(text).toMatch(/✓ worker http:\/\/127\.0\.0\.1:\d+ · 4 models/);
    expect(text).toMatch(/✓ chairman http:\/\/127\.0\.0\.1:\d+ · 4 models/);
    expect(text).toContain('Preset "trio" (synthesis, ranking review)');
    expect(text).toContain("  Alpha · member-a ✓");
    expect(text).toContain("  chairman · chair ✓");
  });

  it("answers each question, following up on the earlier ones until /new", async () => {
    const { text, answerCalls, messagesOf } = await converse(["Why is the sky blue?", "And at sunset?", "/new", "What is a star?", "/quit", "Never asked"]);
    expect(answerCalls).toHaveLength(3);
    expect(messagesOf(0).filter((message) => message.role !== "system")).toEqual([{ role: "user", content: "Why is the sky blue?" }]);
    expect(messagesOf(1).filter((message) => message.role !== "system")).toEqual([
      { role: "user", content: "Why is the sky blue?" },
      { role: "assistant", content: "The chairman's answer: the sky is blue because air scatters blue light most." },
      { role: "user", content: "And at sunset?" },
    ]);
    expect(messagesOf(2).filter((message) => message.role !== "system")).toEqual([{ role: "user", content: "What is a star?" }]);
    expect(text.match(/Answer by the chairman \(chair\)/g)).toHaveLength(3);
    expect(text).toContain("(following up on 1 earlier question; /new to start afresh)");
    expect(text).toContain("Conversation forgotten");
  });

  it("switches presets, and names the presets there are for a wrong one", async () => {
    const { text, answerCalls } = await converse(["/preset", "/preset nope", "/preset pair", "Why?"]);
    expect(text).toContain("Presets: trio (current), pair");
    expect(text).toMatch(/There is no preset "nope" in .*; the presets are: trio, pair\./);
    expect(text).toContain('Preset "pair" (synthesis, ranking review)');
    expect(answerCalls).toHaveLength(1);
    expect(text).toMatch(/Council completed in /);
    expect(text.slice(text.indexOf('Council "pair"'))).not.toContain("Broken");
  });

  it("says what is wrong with a question or a command, and carries on", async () => {
    const { text, answerCalls } = await converse(["x".repeat(4001), "/frobnicate", "Why?"]);
    expect(text).toContain("The question is 4001 characters long; the limit is 4000.");
    expect(text).toContain("There is no command /frobnicate.");
    expect(answerCalls).toHaveLength(1);
  });
});
