import { createRequire } from "node:module";

// The one font every chart is drawn in. resvg draws text only with the fonts it is given, and
// the container images (Debian minbase) and users' machines may have none, so the charts bring
// their own and never read the system's: a chart looks the same on every machine.
//
// Arimo (SIL Open Font License 1.1, from the @expo-google-fonts/arimo package's .ttf files;
// resvg reads no WOFF) has Arial's metrics, and Arial's widths are what ECharts assumes when it
// measures text on a server with no canvas. With it, ECharts' label layout, ellipses and fitText
// measure what resvg then draws; with a wider font (DejaVu Sans, 8-13% wider) labels overflowed.

export const CHART_FONT_FAMILY = "Arimo";

const FONT_FILES = ["@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf", "@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf"];

let resolved: string[] | undefined;

/**
 * The font files' paths, resolved once on the first chart. resvg-js 2.6 takes font files by
 * path only (buffers arrive in its 2.7 alpha); each render reads them from the page cache.
 */
export function chartFontFiles(): string[] {
  resolved ??= FONT_FILES.map((file) => createRequire(import.meta.url).resolve(file));
  return resolved;
}
