// keep_alive as Ollama reads it (api.Duration): a JSON number is seconds, a string is a Go
// duration ("5m", "1h30m", "250ms"); anything negative means "forever"; absent means 5 min.
// A bad string fails the whole request with Go's own parse error text.

export const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;

export type KeepAlive = { ok: true; ms: number } | { ok: false; error: string };

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseKeepAlive(value: unknown): KeepAlive {
  if (value === undefined || value === null) return { ok: true, ms: DEFAULT_KEEP_ALIVE_MS };
  if (typeof value === "number") return { ok: true, ms: value < 0 ? -1 : value * 1000 };
  if (typeof value === "string") {
    const ms = parseGoDuration(value);
    if (typeof ms === "string") return { ok: false, error: ms };
    return { ok: true, ms: ms < 0 ? -1 : ms };
  }
  return { ok: false, error: `Unsupported type: '${goTypeName(value)}'` };
}

/** Milliseconds, or Go's error message. */
function parseGoDuration(text: string): number | string {
  const invalid = `time: invalid duration ${JSON.stringify(text)}`;
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return invalid;
  let total = 0;
  while (rest.length > 0) {
    const number = /^(\d*)(\.\d*)?/.exec(rest)?.[0] ?? "";
    if (number === "" || number === ".") return invalid;
    rest = rest.slice(number.length);
    const unit = /^[^\d.]+/.exec(rest)?.[0] ?? "";
    if (unit === "") return `time: missing unit in duration ${JSON.stringify(text)}`;
    const scale = UNIT_MS[unit];
    if (scale === undefined) return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`;
    total += Number(number) * scale;
    rest = rest.slice(unit.length);
  }
  return sign * total;
}

function goTypeName(value: unknown): string {
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "[]interface {}";
  return "map[string]interface {}";
}
