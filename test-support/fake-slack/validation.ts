// Slack's limits on what a message may carry (reference.md, Block Kit docs): 50 blocks, section
// text 3000 (and at least 1), 10 section fields of 2000, header 150, 10 context elements,
// markdown blocks 12,000 in all, block_id 255 and unique, top-level text 40,000. Lengths count
// UTF-16 units (JavaScript's .length), never laxer than Slack. Errors come back as Slack's do:
// `invalid_blocks` with the reasons in `errors` and `response_metadata.messages`.
import { SlackError } from "./errors.js";

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  markdownTotal: 12_000,
  actionsElements: 25,
  blockId: 255,
  text: 40_000,
} as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The blocks argument as Slack reads it: an array (web-api sends it JSON-encoded in a form field). */
export function readBlocks(value: unknown): Json[] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (!Array.isArray(value)) throw new SlackError("invalid_blocks_format");
  return value as Json[];
}

function textProblem(text: unknown, pointer: string, max: number, problems: string[]): void {
  if (!isObject(text) || (text.type !== "mrkdwn" && text.type !== "plain_text") || typeof text.text !== "string") {
    problems.push(`must provide a text object of type mrkdwn or plain_text [json-pointer:${pointer}]`);
    return;
  }
  if (text.text.length === 0) problems.push(`must be more than 0 characters [json-pointer:${pointer}/text]`);
  else if (text.text.length > max) problems.push(`must be less than ${max + 1} characters [json-pointer:${pointer}/text]`);
}

function blockProblems(block: unknown, index: number, seenIds: Set<string>, problems: string[]): number {
  const at = `/blocks/${index}`;
  if (!isObject(block) || typeof block.type !== "string") {
    problems.push(`missing required field: type [json-pointer:${at}]`);
    return 0;
  }
  if (block.block_id !== undefined) {
    const id = String(block.block_id);
    if (id.length > LIMITS.blockId) problems.push(`must be less than ${LIMITS.blockId + 1} characters [json-pointer:${at}/block_id]`);
    if (seenIds.has(id)) problems.push(`duplicate block_id [json-pointer:${at}/block_id]`);
    seenIds.add(id);
  }
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined) problems.push(`must provide either text or fields [json-pointer:${at}]`);
      if (block.text !== undefined) textProblem(block.text, `${at}/text`, LIMITS.sectionText, problems);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) problems.push(`must be an array [json-pointer:${at}/fields]`);
        else {
          if (block.fields.length > LIMITS.sectionFields) problems.push(`no more than ${LIMITS.sectionFields} items allowed [json-pointer:${at}/fields]`);
          block.fields.forEach((field, i) => textProblem(field, `${at}/fields/${i}`, LIMITS.sectionFieldText, problems));
        }
      }
      return 0;
    }
    case "header":
      if (isObject(block.text) && block.text.type !== "plain_text") problems.push(`must be plain_text [json-pointer:${at}/text/type]`);
      textProblem(block.text, `${at}/text`, LIMITS.headerText, problems);
      return 0;
    case "context": {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0) problems.push(`must provide at least 1 element [json-pointer:${at}/elements]`);
      else {
        if (elements.length > LIMITS.contextElements) problems.push(`no more than ${LIMITS.contextElements} items allowed [json-pointer:${at}/elements]`);
        elements.forEach((element, i) => {
          if (isObject(element) && (element.type === "mrkdwn" || element.type === "plain_text")) textProblem(element, `${at}/elements/${i}`, LIMITS.contextText, problems);
        });
      }
      return 0;
    }
    case "markdown":
      if (typeof block.text !== "string" || block.text.length === 0) {
        problems.push(`must be more than 0 characters [json-pointer:${at}/text]`);
        return 0;
      }
      return block.text.length;
    case "actions":
      if (!Array.isArray(block.elements) || block.elements.length === 0) problems.push(`must provide at least 1 element [json-pointer:${at}/elements]`);
      else if (block.elements.length > LIMITS.actionsElements) problems.push(`no more than ${LIMITS.actionsElements} items allowed [json-pointer:${at}/elements]`);
      return 0;
    default:
      // divider, image, rich_text, input, file, video and newer types: accepted as sent.
      return 0;
  }
}

/** Throws invalid_blocks with Slack's reasons when the blocks break a limit. */
export function validateBlocks(blocks: Json[]): void {
  const problems: string[] = [];
  if (blocks.length > LIMITS.blocks) problems.push(`no more than ${LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  const seenIds = new Set<string>();
  let markdown = 0;
  blocks.forEach((block, index) => {
    markdown += blockProblems(block, index, seenIds, problems);
  });
  if (markdown > LIMITS.markdownTotal) problems.push(`cumulative markdown text must be less than ${LIMITS.markdownTotal + 1} characters [json-pointer:/blocks]`);
  if (problems.length > 0) {
    throw new SlackError("invalid_blocks", { errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
  }
}

/** Throws msg_too_long for top-level text over 40,000 characters. */
export function validateText(text: string | undefined): void {
  if (text !== undefined && text.length > LIMITS.text) throw new SlackError("msg_too_long");
}

/** Slack gives every block without a block_id one of its own. */
export function withBlockIds(blocks: Json[]): Json[] {
  return blocks.map((block, index) => (block.block_id === undefined ? { ...block, block_id: blockId(index, block) } : { ...block }));
}

function blockId(index: number, block: Json): string {
  let hash = 0;
  for (const char of JSON.stringify(block)) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `${hash.toString(36).slice(0, 4).padEnd(4, "x")}${index}`;
}
