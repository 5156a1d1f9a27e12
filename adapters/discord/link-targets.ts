import type { APIEmbed } from "discord.js";
import { disguisesTarget } from "../shared/disguised-links.js";
import type { DetailMessage } from "./render-details.js";

// Discord turns [label](url) into a link that shows only its label, in embeds and in the
// messages a bot sends. A label that reads as another address ("[https://docs.python.org](https://evil.example)")
// is rewritten as "label <url>": the label stays as text and the real target is shown beside
// it (angle brackets keep Discord from unfurling a preview of it). Links labelled with words
// stay masked: Discord asks before leaving for an unknown site, naming it.
//
// Applied to the finished strings, after cutting and splitting, so it sees exactly what Discord
// will parse; code spans are not spared, since a link's label is what Discord shows wherever
// it sits, and a false alarm in code only shows a URL. The rewrite is one character shorter
// than the link, so no limit counted before can be exceeded.

// Discord's link syntax, as simple-markdown (whose rules its client follows) reads it: a label
// with at most one level of brackets inside, then the URL, bare or in <>, and an optional title.
const MASKED_LINK = /\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*<?((?:[^\s()<>\\]|\\.|\([^\s()]*\))+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;

export function showLinkTargets(markdown: string): string {
  let text = markdown;
  // Each rewrite shortens the text, so this ends; another pass catches a link a rewrite exposed.
  for (;;) {
    const next = text.replace(MASKED_LINK, (link, label: string, url: string) =>
      // A link may hide a disguised one in its label: look inside the label too.
      disguisesTarget(label, url) ? `${label} <${url}>` : `[${showLinkTargets(label)}]${link.slice(label.length + 2)}`,
    );
    if (next === text) return text;
    text = next;
  }
}

/** The card with every description and field value shown through showLinkTargets. */
export function embedWithLinkTargets(embed: APIEmbed): APIEmbed {
  return {
    ...embed,
    ...(embed.description !== undefined && { description: showLinkTargets(embed.description) }),
    ...(embed.fields && { fields: embed.fields.map((field) => ({ ...field, value: showLinkTargets(field.value) })) }),
  };
}

/** A thread message through showLinkTargets; an attached file is shown as a file, not as Markdown. */
export function detailWithLinkTargets(detail: DetailMessage): DetailMessage {
  return { ...detail, content: showLinkTargets(detail.content) };
}
