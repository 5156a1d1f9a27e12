import { describe, expect, it } from "vitest";
import type { InsightsReply } from "../../src/insights/insights-service.js";
import { statsText } from "./stats-text.js";

const plain = { bold: (text: string) => `**${text}**`, escape: (text: string) => text, max: 2000 };

function report(models: number): InsightsReply {
  const rows = Array.from({ length: models }, (_, i) => `${String(i + 1).padStart(2)}  ${`model-${i + 1}:7b`.padEnd(28)}  1000  980–1020  40  3  12  2.5 s  40`);
  return { kind: "report", title: "council statistics · the last 7 days · all presets · 9 councils", leaderboard: ["#  model  rating", ...rows], totals: "9k prompt and 3k completion tokens in 90 model calls." };
}

describe("/council-stats' words", () => {
  it("puts the title in bold, the leaderboard in a code block, then the totals and what follows", () => {
    expect(statsText(report(2), plain, ["_The chart follows._"]).split("\n")).toEqual([
      "**council statistics · the last 7 days · all presets · 9 councils**",
      "```",
      "#  model  rating",
      expect.stringMatching(/^ 1 {2}model-1:7b/) as string,
      expect.stringMatching(/^ 2 {2}model-2:7b/) as string,
      "```",
      "9k prompt and 3k completion tokens in 90 model calls.",
      "_The chart follows._",
    ]);
  });

  it("leaves out the last rows, saying how many, rather than pass the platform's limit", () => {
    const text = statsText(report(40), plain);
    expect([...text].length).toBeLessThanOrEqual(2000);
    const left = /… and (\d+) more \(the chart shows them all\)\n```/.exec(text);
    expect(Number(left?.[1])).toBeGreaterThan(0);
    expect(text).toContain(" 1  model-1:7b");
    expect(text).not.toContain("model-40:7b");
    expect(text.endsWith("9k prompt and 3k completion tokens in 90 model calls.")).toBe(true);
  });

  it("keeps a backtick in a name from closing the block, and escapes as the platform needs", () => {
    const reply: InsightsReply = { kind: "report", title: "a <b>", leaderboard: ["#  model", "1  odd```name"], totals: "t & u" };
    const slack = statsText(reply, { bold: (text) => `*${text}*`, escape: (text) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;"), max: 3500 });
    expect(slack).toBe("*a &lt;b&gt;*\n```\n#  model\n1  odd'''name\n```\nt &amp; u");
  });

  it("says there were no councils without a block", () => {
    expect(statsText({ kind: "empty", title: "council statistics · the last 24 hours", message: "No councils were recorded." }, plain)).toBe("**council statistics · the last 24 hours**\nNo councils were recorded.");
  });
});
