// Data a chart cannot draw (no rows, a call that ends before it starts). The callers check for an
// empty period first and say "no councils" instead; this error is for a caller's mistake, and
// says which input and what to pass instead.

export class ChartInputError extends Error {
  override readonly name = "ChartInputError";
  readonly kind = "chart-input";
}

/** Throws unless `rows` has at least one row; `what` names the input in the message. */
export function requireRows<T>(rows: readonly T[], what: string): readonly T[] {
  if (rows.length === 0) throw new ChartInputError(`${what}: no rows to draw; pass at least one, or show a "nothing in this period" text instead of a chart`);
  return rows;
}

/** Throws unless `value` is a finite number; `where` names the row and field in the message. */
export function requireFinite(value: number, where: string): number {
  if (!Number.isFinite(value)) throw new ChartInputError(`${where} is ${value}; pass a finite number`);
  return value;
}
