import { describe, expect, it } from "vitest";
import { escapeSlack, markdownToMrkdwn } from "./mrkdwn.js";

describe("model text for Slack", () => {
  it.each([
    ["<!channel> look", "&lt;!channel&gt; look"],
    ["<!here> and <!everyone>", "&lt;!here&gt; and &lt;!everyone&gt;"],
    ["ping <@U024BE7LH> now", "ping &lt;@U024BE7LH&gt; now"],
    ["a <https://evil|click> link", "a &lt;https://evil|click&gt; link"],
    ["R&D", "R&amp;D"],
  ])("escapes %j so it can never ping or link", (text, expected) => {
    expect(escapeSlack(text)).toBe(expected);
    expect(markdownToMrkdwn(text)).toBe(expected);
  });

  it.each([
    ["**bold** and __bold__", "*bold* and *bold*"],
    ["*italic* text", "_italic_ text"],
    ["~~gone~~", "~gone~"],
    ["## Heading", "*Heading*"],
    ["- one\n* two", "• one\n• two"],
    ["see [the docs](https://example.com/a)", "see <https://example.com/a|the docs>"],
    ["a [link](javascript:alert(1))", "a [link](javascript:alert(1))"],
    ["`**not bold**` but **bold**", "`**not bold**` but *bold*"],
    ["```ts\nconst a = **b**;\n```", "```\nconst a = **b**;\n```"],
  ])("turns Markdown %j into mrkdwn", (markdown, mrkdwn) => {
    expect(markdownToMrkdwn(markdown)).toBe(mrkdwn);
  });
});
