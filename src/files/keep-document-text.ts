import { keepCharacters } from "./keep-characters.js";

/** What the council takes of a document's text: its part within FILE_MAX_CHARS, and whether it has any text at all. */
export interface KeptDocumentText {
  /** The text the members read; when `used < total`, its middle is left out and a line says so. */
  text: string;
  /** Characters of the whole text, and how many of them `text` keeps. */
  characters: { total: number; used: number };
  /** Nothing but whitespace (a scan's PDF, an empty page). */
  blank: boolean;
}

/**
 * Runs where the text is read: on the bot's thread for a text file, on an extraction thread for a
 * PDF or DOCX, so that only the kept part of a long document crosses back. Blank is decided on the
 * whole text, before it is cut: a long run of spaces, cut, holds the line saying what was left out.
 */
export function keepDocumentText(text: string, maxCharacters: number): KeptDocumentText {
  const kept = keepCharacters(text, maxCharacters);
  return { text: kept.text, characters: { total: kept.total, used: kept.used }, blank: text.trim() === "" };
}
