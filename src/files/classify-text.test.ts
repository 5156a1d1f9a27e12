import { describe, expect, it } from "vitest";
import type { TextType } from "./attachment.js";
import { classifyText } from "./classify-text.js";
import { typeNamedBy } from "./type-names.js";

// What a text is labelled from its content, when its name says nothing (.txt, no extension).
const BY_CONTENT: ReadonlyArray<[TextType, string]> = [
  ["html", "<!doctype html>\n<html><body><p>hi</p></body></html>"],
  ["xml", '<?xml version="1.0"?>\n<config><key>1</key></config>'],
  ["json", '{"name": "council", "members": [1, 2]}'],
  ["code", "#!/bin/sh\necho hello\n"],
  ["markdown", "Run this:\n\n```sh\nnpm test\n```\n"],
  ["log", "2026-01-02 10:00:01 INFO start\n2026-01-02 10:00:02 ERROR disk full\nretrying\n"],
  ["log", "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nValueError: bad\n"],
  ["csv", "id,name,score\n1,ada,9\n2,bob,7\n"],
  ["tsv", "id\tname\n1\tada\n2\tbob\n"],
  ["yaml", "name: council\nmembers:\n  - qwen\n  - llama\n"],
  ["code", "import os\n\ndef main():\n    return os.getcwd()\n"],
  ["markdown", "# Notes\n\nSee [the docs](https://example.com).\n"],
  ["text", "Dear team,\nthe meeting moves to Thursday, as agreed.\nBest\n"],
];

describe("labelling a text", () => {
  it.each(BY_CONTENT)("calls %s what looks like it", (type, content) => {
    expect(classifyText(content, undefined)).toBe(type);
  });

  it("does not call a text JSON when it does not parse", () => {
    expect(classifyText("[1, 2, oops]", undefined)).toBe("text");
  });

  it("takes a name's text kind as it is, and its content only for .txt or no extension", () => {
    expect(typeNamedBy("notes.md")).toEqual({ family: "text", type: "markdown" });
    expect(typeNamedBy("notes.txt")).toEqual({ family: "text", type: undefined });
    expect(classifyText("a,b\n1,2\n3,4\n", "markdown")).toBe("markdown");
    expect(classifyText("a,b\n1,2\n3,4\n", undefined)).toBe("csv");
    expect(typeNamedBy("src/main.rs")).toEqual({ family: "text", type: "code" });
    expect(typeNamedBy("Dockerfile")).toEqual({ family: "text", type: "code" });
    expect(typeNamedBy("photo.JPG")).toEqual({ family: "binary", type: "jpeg" });
    expect(typeNamedBy("archive.tar.gz")).toBeUndefined();
    expect(typeNamedBy(".env")).toBeUndefined();
  });
});
