import { readFile } from "node:fs/promises";
import { detectFormat, importItem, type ItemFormat } from "./importers.js";
import { checkIds, EvalDataError, type EvalItem, MAX_ITEMS, MAX_LINE_CHARS } from "./items.js";

// A question file: JSON Lines, in our item format or one of the importers' (detected from the
// first line unless named). Every problem names the file, the line and the fix.

export interface ReadItems {
  items: EvalItem[];
  format: ItemFormat;
}

export async function readItems(path: string, format?: ItemFormat): Promise<ReadItems> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new EvalDataError(`cannot read the question file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give --data the path of a .jsonl file`);
  }
  try {
    return parseItems(text, format);
  } catch (error) {
    if (error instanceof EvalDataError) throw new EvalDataError(`${path}, ${error.message}`);
    throw error;
  }
}

export function parseItems(text: string, format?: ItemFormat): ReadItems {
  const lines = text.split(/\r?\n/);
  const parsed: Array<{ json: unknown; line: number }> = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    if (raw.length > MAX_LINE_CHARS) throw new EvalDataError(`line ${line} is ${raw.length} characters long; an item may have at most ${MAX_LINE_CHARS}`);
    if (parsed.length >= MAX_ITEMS) throw new EvalDataError(`line ${line}: more than ${MAX_ITEMS} items; split the file`);
    try {
      parsed.push({ json: JSON.parse(raw), line });
    } catch (error) {
      throw new EvalDataError(`line ${line} is not JSON (${(error as Error).message}); each line must be one JSON object`);
    }
  });
  if (parsed.length === 0) throw new EvalDataError("line 1: the file has no items; write one JSON object a line");
  const chosen = format ?? detectFormat(parsed[0]?.json);
  const items = parsed.map(({ json, line }) => importItem(json, chosen, line));
  checkIds(items, "the file");
  return { items, format: chosen };
}
