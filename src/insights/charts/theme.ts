import { CHART_FONT_FAMILY } from "./chart-font.js";

// One palette for every chart. Discord shows an image on its dark (#313338) or light (#ffffff)
// theme and Slack on white, so the charts carry their own opaque card: a dark slate that stands
// apart from both, with light text well above WCAG's 4.5:1 contrast on it. Series colours are
// from Okabe and Ito's palette, told apart with the common colour-vision deficiencies; its dark
// blue is left out, too dark on the card.

export const CARD = {
  background: "#0f172a",
  text: "#f1f5f9",
  /** Axis labels and secondary text: 6.9:1 on the card. */
  muted: "#94a3b8",
  gridLine: "#1e293b",
  axisLine: "#475569",
} as const;

export const SERIES = {
  sky: "#56b4e9",
  orange: "#e69f00",
  green: "#009e73",
  yellow: "#f0e442",
  purple: "#cc79a7",
  vermillion: "#d55e00",
  /** Vermillion lightened for text, which needs more contrast than a bar. */
  vermillionText: "#ff9b66",
} as const;

/** Font sizes in px at the charts' stated sizes; nothing is drawn smaller than 14 px. */
export const FONT_SIZE = {
  label: 15,
  panelTitle: 20,
  heading: 26,
} as const;

export interface ChartSize {
  width: number;
  height: number;
}

/** A single chart: 16:9, which Discord and Slack preview whole. */
export const SINGLE_CHART_SIZE: ChartSize = { width: 1200, height: 675 };

/**
 * The dashboard that chat posts as one attachment: four panels of 800 × 400 and the radars
 * across the bottom, where eight of them (two rows of four) still get a readable radius.
 */
export const DASHBOARD_SIZE: ChartSize = { width: 1600, height: 1500 };

export const PANEL_PADDING = 16;

/** The CSS font shorthand ECharts measures text with (its widths are Arimo's: see chart-font.ts). */
export function cssFont(size: number): string {
  return `${size}px ${CHART_FONT_FAMILY}`;
}

export function labelStyle(color: string = CARD.muted) {
  return { color, fontSize: FONT_SIZE.label, fontFamily: CHART_FONT_FAMILY };
}
