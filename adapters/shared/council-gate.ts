// Who may start a council now. The GPU box runs a handful of councils at once at best (each
// is several model calls per stage), and one user asking again and again would starve the
// rest, so Discord and Slack share one gate: a cap on councils in flight and a per-user
// cooldown. A refusal says why and when to come back, so the adapter can tell the user.
//
// A plain counter, not bottleneck: bottleneck queues jobs until there is room, but a chat
// user should be told "busy" at once rather than wait silently behind a queue.

export type GateRefusal = "cooldown" | "busy";

export type GateEntry =
  | { admitted: true; /** Call when the council ends, however it ends; later calls do nothing. */ leave(): void }
  | { admitted: false; reason: GateRefusal; retryAfterMs: number };

export interface CouncilGateOptions {
  maxInFlight: number;
  /** Counted from the user's last admission; 0 turns the cooldown off. */
  userCooldownMs: number;
  /**
   * What "busy" tells the user to wait: the gate cannot know when a running council will end,
   * so this is a hint; default 30 s.
   */
  busyRetryAfterMs?: number;
  now?: () => number;
}

export interface CouncilGate {
  tryEnter(userKey: string): GateEntry;
  inFlight(): number;
}

export const DEFAULT_BUSY_RETRY_AFTER_MS = 30_000;

export function createCouncilGate(options: CouncilGateOptions): CouncilGate {
  const { maxInFlight, userCooldownMs, busyRetryAfterMs = DEFAULT_BUSY_RETRY_AFTER_MS } = options;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError(`maxInFlight must be an integer ≥ 1, got ${maxInFlight}`);
  if (!Number.isFinite(userCooldownMs) || userCooldownMs < 0) throw new RangeError(`userCooldownMs must be ≥ 0, got ${userCooldownMs}`);
  const now = options.now ?? (() => performance.now());
  let running = 0;
  // Insertion order is admission order (a key is deleted before it is set again), so the
  // expired entries are always at the front and pruning stops at the first live one.
  const lastAdmission = new Map<string, number>();

  function prune(at: number): void {
    for (const [key, admittedAt] of lastAdmission) {
      if (at - admittedAt < userCooldownMs) break;
      lastAdmission.delete(key);
    }
  }

  return {
    tryEnter(userKey) {
      const at = now();
      prune(at);
      const last = lastAdmission.get(userKey);
      // Cooldown first: it is about this user, and waiting it out does not depend on others.
      if (last !== undefined) return { admitted: false, reason: "cooldown", retryAfterMs: last + userCooldownMs - at };
      if (running >= maxInFlight) return { admitted: false, reason: "busy", retryAfterMs: busyRetryAfterMs };
      running += 1;
      if (userCooldownMs > 0) {
        lastAdmission.delete(userKey);
        lastAdmission.set(userKey, at);
      }
      let left = false;
      return {
        admitted: true,
        leave() {
          if (left) return;
          left = true;
          running -= 1;
        },
      };
    },
    inFlight: () => running,
  };
}
