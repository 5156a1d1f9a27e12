import { disguisesTarget } from "../shared/disguised-links.js";

// Model text for Slack. Slack reads &, < and > as markup: "<!channel>", "<!here>",
// "<!everyone>" and "<@U…>" ping people, so every model-written character is escaped first,
// and only then is Markdown turned into Slack's mrkdwn (bold, italics, strikes, links,
// headings, lists), outside code. A link is rebuilt only for an http(s) URL, so nothing a model
// writes can become a mention, and never masked by text that looks like another address.

export function escapeSlack(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const FENCE = /^\s*(```|~~~)/;

export function markdownToMrkdwn(markdown: string): string {
  let inFence = false;
  return escapeSlack(markdown.replace(/\r\n?/g, "\n"))
    .split("\n")
    .map((line) => {
      if (FENCE.test(line)) {
        inFence = !inFence;
        // mrkdwn has no languages: "```ts" would show "ts" as code.
        return line.replace(/^(\s*)(```|~~~)\S*.*$/, "$1```");
      }
      return inFence ? line : convertLine(line);
    })
    .join("\n");
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*)$/.exec(line);
  if (heading) return `*${convertInline(heading[1] ?? "").replace(/\*/g, "")}*`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1] ?? ""}• ${convertInline(bullet[2] ?? "")}`;
  return convertInline(line);
}

/** Converts outside inline code spans only. */
function convertInline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : convertSpans(part)))
    .join("");
}

// A label that reads as another address ("[https://bank.example](https://evil.example)") would
// hide where the link goes: such a link shows its real address instead of masking it (the
// same rule as on Discord, in shared/disguised-links.ts).
function slackLink(label: string, url: string): string {
  if (label.trim() === url) return `<${url}>`;
  return disguisesTarget(label, url) ? `${label} (<${url}>)` : `<${url}|${label}>`;
}

function convertSpans(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s|)]+)\)/g, (_match, label: string, url: string) => slackLink(label, url))
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_match, a?: string, b?: string) => `\u0000${a ?? b}\u0000`)
    .replace(/(^|[^*\w])\*(?!\s)([^*]+?)\*(?!\w)/g, "$1_$2_")
    .replace(/~~(.+?)~~/g, "~$1~")
    .replace(/\u0000/g, "*");
}
