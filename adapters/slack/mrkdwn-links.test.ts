import { describe, expect, it } from "vitest";
import { markdownToMrkdwn } from "./mrkdwn.js";

// Markdown link tricks in model text (issue 6): a link may be masked by words, never by text
// that reads as another address, and nothing in one can become Slack markup.

describe("Markdown links from a model, for Slack", () => {
  it.each([
    ["a label that is another URL", "[https://bank.example/login](https://evil.example/x)", "https://bank.example/login (<https://evil.example/x>)"],
    ["a label that is a bare domain", "[bank.example](https://evil.example)", "bank.example (<https://evil.example>)"],
    ["a label with www.", "see [www.bank.example](https://evil.example)", "see www.bank.example (<https://evil.example>)"],
    ["a label in bold", "[**bank.example**](https://evil.example)", "*bank.example* (<https://evil.example>)"],
    ["a label with a zero-width space", "[bank\u200b.example](https://evil.example)", "bank\u200b.example (<https://evil.example>)"],
    ["a label that is the URL itself", "[https://example.com/a](https://example.com/a)", "<https://example.com/a>"],
    ["words as the label, as before", "read [the docs](https://example.com/a)", "read <https://example.com/a|the docs>"],
  ])("%s: %j", (_name, markdown, mrkdwn) => {
    expect(markdownToMrkdwn(markdown)).toBe(mrkdwn);
  });

  it("keeps Slack markup in a label or a URL escaped: a link can ping no one", () => {
    const out = markdownToMrkdwn("[<!channel>](https://evil.example) [x](https://evil.example/<!here>) <https://evil.example|raw>");
    expect(out).not.toMatch(/<!channel>|<!here>|<https:\/\/evil\.example\|raw>/);
    expect(out).toContain("&lt;!channel&gt;");
  });
});
