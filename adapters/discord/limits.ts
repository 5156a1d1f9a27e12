// Discord's limits (reference.md). A message over any of them is refused with a 400, and the
// card must never be refused: every renderer clamps to these.
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  threadName: 100,
} as const;

/** Cuts `text` to `max` characters (code points), ending with an ellipsis when cut. */
export function clamp(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** Cuts on a word boundary when one is near, for names shown whole (a thread name, a title). */
export function clampOnWord(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

export function length(text: string): number {
  return [...text].length;
}
