// How the charts write numbers: short enough for a label, precise enough to compare.

/** 950 → "950", 12_345 → "12.3k", 4_560_000 → "4.56M". */
export function formatCount(value: number): string {
  const units: [number, string][] = [
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, unit] of units) if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(3))}${unit}`;
  return String(Math.round(value));
}

/** A measured time: 0.42 → "0.42 s", 6 → "6.0 s", 12.46 → "12.5 s", 131.6 → "132 s". */
export function formatSeconds(value: number): string {
  if (value < 1) return `${value.toFixed(2)} s`;
  if (value < 100) return `${value.toFixed(1)} s`;
  return `${Math.round(value)} s`;
}

/** An axis tick, a round number already: 0 → "0 s", 2.5 → "2.5 s", 30 → "30 s". */
export function formatSecondsTick(value: number): string {
  return `${value} s`;
}
