import type { GateEntry } from "./council-gate.js";
import { formatDuration } from "./text.js";

/** What a user is told when the gate turns a council away: why, and when to try again. */
export function refusalText(refusal: Extract<GateEntry, { admitted: false }>): string {
  const wait = formatDuration(Math.max(1000, Math.ceil(refusal.retryAfterMs / 1000) * 1000));
  return refusal.reason === "cooldown"
    ? `You asked the council very recently. You can ask again in ${wait}.`
    : `The council is busy with other questions right now. Please try again in about ${wait}.`;
}
