import { renderAsync } from "@resvg/resvg-js";
import { BarChart, CustomChart, RadarChart, ScatterChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, RadarComponent, TitleComponent } from "echarts/components";
import { init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { CHART_FONT_FAMILY, chartFontFiles } from "./chart-font.js";
import { composeOption, type Panel } from "./panel.js";
import { CARD, type ChartSize } from "./theme.js";

// Panels to PNG bytes: ECharts' server-side renderer writes the SVG (no DOM, no canvas), and
// resvg turns it into pixels with the charts' own font. Only the ECharts parts the charts use
// are loaded, which keeps the first chart's start-up short.
use([BarChart, ScatterChart, RadarChart, CustomChart, GridComponent, LegendComponent, TitleComponent, RadarComponent, MarkLineComponent, MarkAreaComponent, SVGRenderer]);

export async function renderPng(panels: readonly Panel[], size: ChartSize): Promise<Buffer> {
  const chart = init(null, null, { renderer: "svg", ssr: true, width: size.width, height: size.height });
  let svg: string;
  try {
    chart.setOption({
      ...composeOption(panels),
      // No animation: the SVG is the final frame, and the same data gives the same bytes.
      animation: false,
      backgroundColor: CARD.background,
      textStyle: { fontFamily: CHART_FONT_FAMILY, color: CARD.text },
    });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  // resvg runs on libuv's thread pool, so the bot's event loop goes on while it draws.
  const image = await renderAsync(svg, {
    font: { fontFiles: chartFontFiles(), loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
  });
  return image.asPng();
}
