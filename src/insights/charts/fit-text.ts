import { format } from "echarts/core";
import { cssFont } from "./theme.js";

const ELLIPSIS = "…";

/**
 * `text` shortened to at most `maxWidth` px at `fontSize`, or whole when it fits. Model names
 * lose their middle: they differ at both ends ("hf.co/bartowski/…-GGUF:Q4_K_M" against
 * "…:Q8_0"); sentences (a failure's reason) lose their end. Measured as ECharts measures
 * (Arial's widths, which are Arimo's too).
 */
export function fitText(text: string, maxWidth: number, fontSize: number, cutAt: "middle" | "end" = "middle"): string {
  const width = (candidate: string) => format.getTextRect(candidate, cssFont(fontSize)).width;
  if (width(text) <= maxWidth) return text;
  const chars = [...text];
  const cut = (keep: number) => {
    const head = cutAt === "end" ? keep : Math.ceil(keep / 2);
    return chars.slice(0, head).join("") + ELLIPSIS + chars.slice(chars.length - (keep - head)).join("");
  };
  // The longest cut that fits: width grows with the characters kept, so a binary search finds it.
  let fits = 0;
  let tooLong = chars.length;
  while (tooLong - fits > 1) {
    const keep = Math.floor((fits + tooLong) / 2);
    if (width(cut(keep)) <= maxWidth) fits = keep;
    else tooLong = keep;
  }
  return cut(fits);
}
