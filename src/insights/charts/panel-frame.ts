import type { GridComponentOption, LegendComponentOption, TitleComponentOption } from "echarts";
import { format } from "echarts/core";
import type { Rect } from "./panel.js";
import { CARD, FONT_SIZE, PANEL_PADDING, cssFont, labelStyle } from "./theme.js";

// The frame every panel shares: its title at the top left, its legend on the same line after
// it, and below them the plot's grid, which shrinks to keep axis labels and names inside the
// panel (ECharts' outer bounds), so nothing spills into the next panel or off the image.

const TITLE_LINE = 40;
/** The title is bold and measured with regular widths: a margin for the difference. */
const LEGEND_GAP = 48;

export interface PanelFrame {
  title: TitleComponentOption;
  legend: LegendComponentOption[];
  grid: GridComponentOption;
  /** Where the plot and its axes go, inside the panel's padding and below the title. */
  plot: Rect;
}

export function panelFrame(rect: Rect, title: string, legend: readonly string[] = []): PanelFrame {
  const left = rect.left + PANEL_PADDING;
  const top = rect.top + PANEL_PADDING;
  const plot: Rect = { left, top: top + TITLE_LINE, width: rect.width - 2 * PANEL_PADDING, height: rect.height - 2 * PANEL_PADDING - TITLE_LINE };
  const titleWidth = format.getTextRect(title, cssFont(FONT_SIZE.panelTitle)).width;
  return {
    title: { text: title, left, top, padding: 0, textStyle: { color: CARD.text, fontSize: FONT_SIZE.panelTitle, fontWeight: "bold" } },
    legend:
      legend.length === 0
        ? []
        : [{ data: [...legend], left: left + titleWidth + LEGEND_GAP, top: top + 2, padding: 0, itemGap: 20, textStyle: labelStyle(CARD.text), inactiveColor: CARD.muted }],
    grid: { ...plot, outerBoundsMode: "same", outerBoundsContain: "all" },
    plot,
  };
}
