import { describe, expect, it } from "vitest";
import { completedCouncil, fold } from "../../test-support/scripted-councils.js";
import { showLinkTargets } from "./link-targets.js";
import { discordPresentation } from "./presentation.js";

// Markdown link tricks in model text, on Discord (issue 11): a masked link may be labelled with
// words, never with text that reads as another address; such a link shows where it really goes.

describe("Markdown links from a model, for Discord", () => {
  it.each([
    ["a label that is another URL", "[https://docs.python.org](https://evil.example/phish)", "https://docs.python.org <https://evil.example/phish>"],
    ["a label that is a bare domain", "[docs.python.org](https://evil.example/phish)", "docs.python.org <https://evil.example/phish>"],
    ["a label with www.", "see [www.x.com](https://evil.example)", "see www.x.com <https://evil.example>"],
    ["an address among words", "[read docs.python.org now](https://evil.example)", "read docs.python.org now <https://evil.example>"],
    ["an IP address", "[8.8.8.8](https://evil.example)", "8.8.8.8 <https://evil.example>"],
    ["the same host, another path (an open redirect)", "[https://google.com](https://google.com/url?q=https://evil.example)", "https://google.com <https://google.com/url?q=https://evil.example>"],
    ["a URL in angle brackets", "[docs.python.org](<https://evil.example/a>)", "docs.python.org <https://evil.example/a>"],
    ["a link with a title", '[docs.python.org](https://evil.example "Python docs")', "docs.python.org <https://evil.example>"],
    ["a bold label", "[**docs.python.org**](https://evil.example)", "**docs.python.org** <https://evil.example>"],
    ["a label in code", "[`docs.python.org`](https://evil.example)", "`docs.python.org` <https://evil.example>"],
    ["escaped dots", "[docs\\.python\\.org](https://evil.example)", "docs\\.python\\.org <https://evil.example>"],
    ["a zero-width space", "[docs.python\u200b.org](https://evil.example)", "docs.python\u200b.org <https://evil.example>"],
    ["full-width dots", "[docs\uff0epython\uff0eorg](https://evil.example)", "docs\uff0epython\uff0eorg <https://evil.example>"],
    ["a disguised link inside another link's label", "[see [docs.python.org](https://evil.example) here](https://x.example)", "see docs.python.org <https://evil.example> here <https://x.example>"],
    ["inside code too (a label is what Discord shows, wherever the link is)", "`[docs.python.org](https://evil.example)`", "`docs.python.org <https://evil.example>`"],
    ["words as the label stay a masked link", "read [the docs](https://docs.python.org)", "read [the docs](https://docs.python.org)"],
    ["a label that is exactly its URL stays", "[https://docs.python.org/3/](https://docs.python.org/3/)", "[https://docs.python.org/3/](https://docs.python.org/3/)"],
    ["a bare domain naming exactly its URL stays", "[docs.python.org](https://docs.python.org)", "[docs.python.org](https://docs.python.org)"],
  ])("%s: %j", (_name, markdown, shown) => {
    expect(showLinkTargets(markdown)).toBe(shown);
    // Never longer: the card's and messages' lengths were counted before.
    expect(shown.length).toBeLessThanOrEqual(markdown.length);
  });
});

describe("everything Discord shows of a council", () => {
  const lure = "[https://docs.python.org](https://evil.example/phish)";
  const shown = "https://docs.python.org <https://evil.example/phish>";
  const base = fold(completedCouncil());
  const view = {
    ...base,
    members: base.members.map((member) => ({ ...member, text: `${member.text} See ${lure}.` })),
    ballots: base.ballots.map((ballot) => ({ ...ballot, critiques: Object.fromEntries(Object.keys(ballot.critiques).map((name) => [name, `Cites ${lure}.`])) })),
    verdict: base.verdict && { ...base.verdict, text: `Read ${lure} first.` },
  };
  const presentation = discordPresentation({ attachOverChars: 6000, hasDetails: true });

  it("shows the real target: the card, each member's answer, the ballots and the final answer", () => {
    const card = presentation.card(view);
    const member = view.members[0];
    if (!member) throw new Error("the council has no member");
    const messages = [...presentation.memberAnswered(member, view), ...presentation.reviewed(view), ...presentation.finished(view)];
    const texts = [card.description ?? "", ...messages.map((message) => message.content)];
    for (const text of texts) expect(text).not.toContain(lure);
    expect(texts.filter((text) => text.includes(shown))).toHaveLength(texts.length);
  });
});
