import { splitText } from "../shared/split-text.js";

// The few Block Kit shapes the council uses, and Slack's limits on them (reference.md): 50
// blocks a message, 3000 characters a section text, 40,000 for the top-level text.

export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, contextText: 3000, text: 40_000 } as const;

export type Block =
  | { type: "section"; text: { type: "mrkdwn"; text: string } }
  | { type: "context"; elements: Array<{ type: "mrkdwn"; text: string }> }
  | { type: "divider" };

export interface SlackMessage {
  /** The notification and accessibility text; Slack shows blocks instead when there are any. */
  text: string;
  blocks: Block[];
}

export const divider: Block = { type: "divider" };

export function context(text: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text: clampText(text, SLACK_LIMITS.contextText) }] };
}

/** One section, or several when the text is longer than a section holds, split without breaking code blocks. */
export function sections(mrkdwn: string): Block[] {
  return splitText(mrkdwn, SLACK_LIMITS.sectionText).map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
}

/** Messages of at most 50 blocks each, in order. */
export function chunkBlocks(text: string, blocks: readonly Block[]): SlackMessage[] {
  const messages: SlackMessage[] = [];
  for (let start = 0; start < blocks.length; start += SLACK_LIMITS.blocks) {
    messages.push({ text: clampText(text, SLACK_LIMITS.text), blocks: blocks.slice(start, start + SLACK_LIMITS.blocks) });
  }
  return messages;
}

export function clampText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
