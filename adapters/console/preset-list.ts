import type { PresetCatalog } from "../../config/presets.js";
import { callsChairman, type Preset } from "../../src/council/preset.js";
import { padToWidth, displayWidth } from "./format.js";

// `/preset` in the console: every preset with what it is for, so a user can choose one without
// opening the presets file.

export function presetListLines(catalog: Pick<PresetCatalog, "names" | "get">, current: string): string[] {
  const labels = catalog.names.map((name) => (name === current ? `${name} (current)` : name));
  const width = Math.max(...labels.map(displayWidth));
  return [
    "Presets (/preset NAME switches):",
    ...catalog.names.map((name, i) => `  ${padToWidth(labels[i] ?? name, width)}  ${summary(catalog.get(name))}`),
  ];
}

/** The preset's own description, or else its shape, so no line is empty. */
function summary(preset: Preset): string {
  if (preset.description) return preset.description;
  const members = `${preset.members.length} members`;
  return callsChairman(preset) ? `${preset.strategy}, ${members}, chairman ${preset.chairman.model}` : `${preset.strategy}, ${members}`;
}
