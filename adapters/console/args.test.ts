import { describe, expect, it } from "vitest";
import { parseCouncilArgs, UsageError } from "./args.js";

describe("parseCouncilArgs", () => {
  it("takes the question and every option", () => {
    const args = parseCouncilArgs([
      "Why is the sky blue?",
      "--preset",
      "quick",
      "--members",
      "llama3.2:3b, qwen2.5:3b,gemma2:2b",
      "--chairman",
      "llama3.1:8b",
      "--strategy",
      "best-of",
      "--review",
      "pairwise",
      "--file",
      "notes.txt",
      "--file",
      "shot.png",
      "--json",
      "--no-record",
    ]);
    expect(args).toEqual({
      question: "Why is the sky blue?",
      preset: "quick",
      overrides: { members: ["llama3.2:3b", "qwen2.5:3b", "gemma2:2b"], chairman: "llama3.1:8b", strategy: "best-of", review: "pairwise" },
      files: ["notes.txt", "shot.png"],
      json: true,
      record: false,
      help: false,
      version: false,
    });
  });

  it("leaves out what was not given, and joins an unquoted question's words", () => {
    const args = parseCouncilArgs(["why", "is", "the", "sky", "blue?"]);
    expect(args.question).toBe("why is the sky blue?");
    expect(args.record).toBe(true);
    expect(args.preset).toBeUndefined();
    expect(args.overrides).toEqual({ members: undefined, chairman: undefined, strategy: undefined, review: undefined });
    expect(args.json).toBe(false);
    expect(args.files).toEqual([]);
  });

  it("answers --help and --version without needing a question", () => {
    expect(parseCouncilArgs(["--help"])).toMatchObject({ help: true, version: false });
    expect(parseCouncilArgs(["-h", "--version"])).toMatchObject({ help: true, version: false });
    expect(parseCouncilArgs(["--version"])).toMatchObject({ help: false, version: true });
    expect(parseCouncilArgs(["-v"])).toMatchObject({ help: false, version: true });
  });

  it.each([
    [[], /No question given: put it in quotes, e.g. npx council "Why is the sky blue\?"/],
    [["   "], /The question is empty/],
    [["q", "--colour"], /Unknown option '--colour'/],
    [["q", "--preset"], /argument missing/],
    [["q", "--preset", " "], /--preset is empty/],
    [["q", "--strategy", "voting"], /--strategy "voting" is not one of synthesis, best-of, majority, weighted, vote/],
    [["q", "--review", "pairs"], /--review "pairs" is not one of ranking, pairwise/],
    [["q", "--members", "llama3.2:3b"], /--members needs at least 2 models/],
    [["q", "--members", ",,"], /--members needs at least 2 models/],
    [["q", "--chairman", ""], /--chairman is empty: give it an Ollama model name/],
  ])("rejects %j with a message naming the fix", (argv, message) => {
    expect(() => parseCouncilArgs(argv)).toThrow(UsageError);
    expect(() => parseCouncilArgs(argv)).toThrow(message);
  });
});
