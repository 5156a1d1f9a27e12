import type { TextType } from "./attachment.js";

// The kind of a text only labels it (the fence the members see, the card) and decides whether
// HTML is turned into text; nothing is refused on it. So a name's extension, when it names a
// text kind, is taken as it is, and the content decides only for .txt and names that say nothing.

const SAMPLE_CHARS = 64 * 1024;
const SAMPLE_LINES = 20;

export function classifyText(text: string, named: TextType | undefined): TextType {
  return named ?? classifyContent(text);
}

function classifyContent(text: string): TextType {
  const sample = text.slice(0, SAMPLE_CHARS);
  const start = sample.trimStart();
  const lines = firstLines(sample);
  if (/^(<!doctype html|<html[\s>])/i.test(start) || (start.startsWith("<") && /<(head|body)[\s>]/i.test(sample))) return "html";
  if (/^<\?xml[\s?]/.test(start) || (start.startsWith("<") && text.trimEnd().endsWith(">"))) return "xml";
  if (isJson(text)) return "json";
  if (start.startsWith("#!")) return "code";
  if (/^\s*(```|~~~)/m.test(sample)) return "markdown";
  if (share(lines, LOG_LINE) >= 0.5) return "log";
  const table = tableKind(lines);
  if (table !== undefined) return table;
  if (/^---\s*$/.test(lines[0] ?? "") || (lines.length >= 2 && share(lines, YAML_LINE) >= 0.6)) return "yaml";
  if (lines.filter((line) => CODE_LINE.test(line)).length >= 2) return "code";
  if (/^#{1,6} \S/m.test(sample) || /\[[^\]\n]+\]\([^)\s]+\)/.test(sample)) return "markdown";
  return "text";
}

// A timestamp, a syslog date, a level in brackets, or a line of a stack trace (JavaScript, Java, Python).
const LOG_LINE =
  /^(\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\]?[\s:]|\s+at \S.*:\d+|\s+File ".+", line \d+|Traceback \(most recent call last\))/;
const YAML_LINE = /^\s*(#|- |[\w.-]+:(\s|$))/;
const CODE_LINE =
  /^\s*(import\s|from \S+ import |package \S|#include\s|using \S|def \w|class \w|function\s*\w|const \w|let \w|var \w|public |private |fn \w|func \w|export |return\b|}\s*$)/;

function firstLines(sample: string): string[] {
  const lines = sample.split(/\r?\n/);
  // The sample's last line may be cut in the middle.
  if (lines.length > 1) lines.pop();
  return lines.filter((line) => line.trim() !== "").slice(0, SAMPLE_LINES);
}

function share(lines: readonly string[], pattern: RegExp): number {
  return lines.length === 0 ? 0 : lines.filter((line) => pattern.test(line)).length / lines.length;
}

/** Every line has the same number of separators: a table, with a header or without. */
function tableKind(lines: readonly string[]): "csv" | "tsv" | undefined {
  for (const [separator, kind] of [["\t", "tsv"], [",", "csv"], [";", "csv"]] as const) {
    const counts = lines.map((line) => line.split(separator).length - 1);
    const first = counts[0] ?? 0;
    const enough = lines.length >= 3 || (lines.length === 2 && first >= 2);
    if (enough && first >= 1 && counts.every((count) => count === first)) return kind;
  }
  return undefined;
}

// Parsing proves it; past a megabyte the brackets at both ends are taken as enough, as the
// parse would cost more than the label is worth.
const JSON_PARSE_LIMIT = 1024 * 1024;
function isJson(text: string): boolean {
  const trimmed = text.trim();
  const bracketed = (trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"));
  if (!bracketed) return false;
  if (trimmed.length > JSON_PARSE_LIMIT) return true;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}
