// What the programs run inside the test's containers tell the test, which follows their output:
// one JSON line per event, so a stray line of someone else's cannot pass for one.

export interface Report {
  event: string;
  /** Date.now() where it happened: the containers share the host's clock. */
  at: number;
  [field: string]: unknown;
}

export function report(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ ...fields, event, at: Date.now() })}\n`);
}

/** The report on a line of output, or undefined for any other line. */
export function parseReport(line: string): Report | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line) as Partial<Report>;
    return typeof value.event === "string" && typeof value.at === "number" ? (value as Report) : undefined;
  } catch {
    return undefined;
  }
}
