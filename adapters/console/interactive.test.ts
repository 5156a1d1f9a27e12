import { EventEmitter } from "node:events";
import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { normalizeModelName } from "../../test-support/fake-ollama/index.js";
import type { RecordedRequest } from "../../test-support/fake-ollama/index.js";
import { startTestCouncil } from "../../test-support/test-council.js";
import { captureOutput } from "./capture-output.js";
import { runConsole } from "./interactive.js";
import type { CouncilRecorder } from "../../src/council-recorder.js";
import type { CouncilEvent } from "../../src/council/events.js";

let council: Awaited<ReturnType<typeof startTestCouncil>> | undefined;
afterEach(async () => {
  await council?.close();
  council = undefined;
});

/** A member's answer call (not a ballot, which asks for JSON). */
const isAnswer = (model: string) => (request: RecordedRequest) =>
  request.path === "/api/chat" && normalizeModelName(request.model ?? "") === normalizeModelName(model) && request.format === undefined && hasMessages(request);
const hasMessages = (request: RecordedRequest) => ((request.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0;

/** Types the lines into a console council and returns what it printed and what the models were sent. */
async function converse(lines: string[], recorder?: CouncilRecorder) {
  council = await startTestCouncil();
  const output = captureOutput();
  const input = Readable.from(lines.map((line) => `${line}\n`));
  await runConsole(council.openCore(), { input, output: output.stream, interrupts: new EventEmitter(), ...(recorder && { recorder }) });
  await new Promise((resolve) => setImmediate(resolve));
  const answerCalls = council.fake.requests.filter(isAnswer("member-a"));
  const messagesOf = (i: number) => (answerCalls[i]?.body as { messages: Array<{ role: string; content: string }> }).messages;
  return { text: output.text(), answerCalls, messagesOf };
}

/**
 * A console whose input is typed as keys on a terminal (readline reads it in raw mode: "\r" is
 * Enter, "\x03" Ctrl-C, "\x04" Ctrl-D) or piped in, with models slow enough that a council
 * lasts a moment.
 */
async function openConsole(options: { terminal: boolean }) {
  council = await startTestCouncil({ decodeTokensPerSecond: 40 });
  const { fake } = council;
  const input = new PassThrough();
  const output = captureOutput({ isTTY: options.terminal, columns: 100, rows: 40 });
  const interrupts = new EventEmitter();
  const answersAsked = () => fake.requests.filter(isAnswer("member-a")).length;
  const done = runConsole(council.openCore(), { input, output: output.stream, interrupts });
  const waitForOutput = async (text: string) => {
    while (!output.text().includes(text)) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  await waitForOutput("/quit");
  return {
    type: (keys: string) => input.write(keys),
    end: () => input.end(),
    interrupts,
    done,
    text: output.text,
    waitForOutput,
    /** Resolves once a member is answering the n-th question: that council is running. */
    async councilRunning(n = 1) {
      while (answersAsked() < n) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    answersAsked,
  };
}

/** What was drawn between the start of the n-th council's frame (0-based) and its final state. */
function duringCouncil(text: string, n = 0): string {
  const starts = [...text.matchAll(/Starting the council|Stage 1\//g)].map((match) => match.index);
  const from = starts.filter((index, i) => i === 0 || index > (starts[i - 1] ?? 0) + 1)[n] ?? 0;
  const end = text.slice(from).search(/Council (completed|cancelled|failed)|Partial result/);
  return text.slice(from, from + end);
}

describe("the console council", () => {
  it("says what it found: the servers, the preset and whether each model is there", async () => {
    const { text } = await converse(["/quit"]);
    expect(text).toMatch(/✓ members http:\/\/127\.0\.0\.1:\d+ · 4 models/);
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
    // Piped questions are shown where they are asked, since nobody saw them typed.
    expect(text).toContain("\ncouncil> And at sunset?\n");
  });

  it("lists the presets, switches presets, and names the presets there are for a wrong one", async () => {
    const { text, answerCalls } = await converse(["/preset", "/preset nope", "/preset pair", "Why?"]);
    expect(text).toContain("Presets (/preset NAME switches):\n  trio (current)  synthesis, 3 members, chairman chair\n  pair            synthesis, 2 members, chairman chair\n");
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

describe("the end of input", () => {
  it("piped questions whose input ends while a council runs: the council finishes, the questions read are answered, then it leaves", async () => {
    const console = await openConsole({ terminal: false });
    console.type("Why is the sky blue?\nAnd at sunset?\n");
    await console.councilRunning(1);
    console.end();
    await console.done;
    expect(console.answersAsked()).toBe(2);
    expect(console.text().match(/Answer by the chairman \(chair\)/g)).toHaveLength(2);
  });

  it("Ctrl-D at the prompt leaves, with the shell's prompt on a line of its own", async () => {
    const console = await openConsole({ terminal: true });
    console.type("\x04");
    await console.done;
    expect(console.text()).toMatch(/council> (\x1b\[\d*[A-Za-z])*\n$/);
    expect(console.answersAsked()).toBe(0);
  });

  it("Ctrl-D while a council runs: the council finishes, then the console leaves", async () => {
    const console = await openConsole({ terminal: true });
    console.type("Why is the sky blue?\r");
    await console.councilRunning(1);
    console.type("\x04");
    await console.done;
    expect(console.text()).toMatch(/Partial result in [^\n]*Broken failed/);
    expect(console.text()).toContain("Answer by the chairman (chair)");
  });
});

describe("typing while a council runs", () => {
  it("echoes nothing into the live frame; a line finished with Enter is asked next, shown after the prompt", async () => {
    const console = await openConsole({ terminal: true });
    console.type("Why is the sky blue?\r");
    await console.councilRunning(1);
    console.type("And at sunset?\r");
    await console.councilRunning(2);
    expect(duringCouncil(console.text(), 0)).not.toContain("sunset");
    // The second question appears once, where it is asked: after the first council, after a prompt.
    expect(console.text().match(/sunset/g)).toHaveLength(1);
    expect(console.text().indexOf("\ncouncil> And at sunset?\n")).toBeGreaterThan(console.text().indexOf("Answer by the chairman (chair)"));
    console.type("\x03\x03");
    await console.done;
  });

  it("keeps a line typed but not finished, and shows it at the next prompt to be edited", async () => {
    const console = await openConsole({ terminal: true });
    console.type("Why is the sky blue?\r");
    await console.councilRunning(1);
    console.type("And at sun");
    const before = console.text().length;
    await console.waitForOutput("Answer by the chairman (chair)");
    await console.waitForOutput("council> And at sun");
    expect(console.text().slice(before).indexOf("council> And at sun")).toBeGreaterThan(console.text().slice(before).indexOf("Answer by the chairman"));
    console.type("set?\r");
    await console.councilRunning(2);
    const asked = console.text();
    expect(asked).not.toContain("sunset?\n\ncouncil> And at sunset?");
    console.type("\x03");
    console.type("\x03");
    await console.done;
  });
});

describe("Ctrl-C during a council", () => {
  it("on a terminal: the council is cancelled, not failed, and lines typed meanwhile are dropped, saying so", async () => {
    const console = await openConsole({ terminal: true });
    console.type("Why is the sky blue?\r");
    await console.councilRunning(1);
    console.type("And at sunset?\r");
    console.type("\x03");
    await console.waitForOutput("dropped");
    expect(console.text()).toMatch(/Council cancelled in /);
    expect(console.text()).not.toMatch(/Council failed/);
    expect(console.text()).toContain("The question typed during the council was dropped.");
    console.type("\x04");
    await console.done;
    expect(console.answersAsked()).toBe(1);
  });

  it("under npm, one Ctrl-C arrives twice (from the terminal and from npm): it cancels the council, and the console stays", async () => {
    const console = await openConsole({ terminal: false });
    console.type("Why is the sky blue?\n");
    await console.councilRunning(1);
    console.interrupts.emit("SIGINT");
    console.interrupts.emit("SIGINT");
    await console.waitForOutput("Council cancelled");
    console.type("And at sunset?\n");
    await console.councilRunning(2);
    console.end();
    await console.done;
    expect(console.text()).toContain("\ncouncil> And at sunset?\n");
  });

  it("with piped questions, Ctrl-C arrives as SIGINT and cancels the council the same way", async () => {
    const console = await openConsole({ terminal: false });
    console.type("Why is the sky blue?\n");
    await console.councilRunning(1);
    console.interrupts.emit("SIGINT");
    await console.waitForOutput("Council cancelled");
    console.end();
    await console.done;
    expect(console.text()).not.toMatch(/Council failed/);
    expect(console.text()).toMatch(/cancelled/);
  });
});

describe("the console's record", () => {
  it("hands every council to the recorder with its question and preset, and the answers still come", async () => {
    const recorded: Array<{ question: string; preset: string; events: string[] }> = [];
    const recorder: CouncilRecorder = {
      record(question, preset, events) {
        const entry = { question, preset, events: [] as string[] };
        recorded.push(entry);
        return (async function* () {
          for await (const event of events as AsyncIterable<CouncilEvent>) {
            entry.events.push(event.type);
            yield event;
          }
        })();
      },
      close: () => undefined,
    };
    const { text } = await converse(["Why is the sky blue?", "And at sunset?"], recorder);
    expect(recorded.map(({ question, preset }) => [question, preset])).toEqual([
      ["Why is the sky blue?", "trio"],
      ["And at sunset?", "trio"],
    ]);
    for (const entry of recorded) expect(entry.events.at(-1)).toBe("council-finished");
    expect(text).toContain("the sky is blue because air scatters blue light most");
    expect(text).toContain("(following up on 1 earlier question; /new to start afresh)");
  });
});
