// Rate limits like Slack's: each Web API method has a tier counted per workspace (Tier 3 for
// chat.update and conversations.replies: 50 a minute), chat.postMessage about 1 a second per
// channel (off by default). Over the limit: HTTP 429, Retry-After in whole seconds (what web-api
// reads, with parseInt), body { ok: false, error: "ratelimited" }. Windows are fixed, start at
// their first call, and read the fake's clock.
import type { FakeRateLimit, FakeRateLimits } from "./types.js";

export const DEFAULT_RATE_LIMITS: Readonly<Record<string, FakeRateLimit>> = {
  "chat.update": { limit: 50, windowMs: 60_000, per: "workspace" },
  "conversations.replies": { limit: 50, windowMs: 60_000, per: "workspace" },
};

/** What a method gets when a test limits one that has no default: Tier 3, per workspace. */
const TIER_3: FakeRateLimit = { limit: 50, windowMs: 60_000, per: "workspace" };

export type RateDecision = { limited: false } | { limited: true; retryAfterS: number };

export interface RateLimiter {
  take(method: string, channel: string | undefined, now: number): RateDecision;
  /** The limit in force for a method, if any. */
  limitOf(method: string): FakeRateLimit | undefined;
  clear(): void;
}

interface Window {
  count: number;
  resetAt: number;
}

export function resolveRateLimits(config: FakeRateLimits = {}): Map<string, FakeRateLimit> {
  const limits = new Map<string, FakeRateLimit>(Object.entries(DEFAULT_RATE_LIMITS));
  for (const [method, spec] of Object.entries(config)) {
    if (spec === false) {
      limits.delete(method);
      continue;
    }
    const limit = { ...(DEFAULT_RATE_LIMITS[method] ?? TIER_3), ...spec };
    if (!Number.isInteger(limit.limit) || limit.limit < 1 || !(limit.windowMs > 0)) {
      throw new Error(`fake-slack: bad rate limit for ${method}: ${JSON.stringify(spec)}`);
    }
    limits.set(method, limit);
  }
  return limits;
}

export function createRateLimiter(config?: FakeRateLimits): RateLimiter {
  const limits = resolveRateLimits(config);
  const windows = new Map<string, Window>();
  return {
    take(method, channel, now) {
      const limit = limits.get(method);
      if (!limit) return { limited: false };
      const key = `${method}:${limit.per === "channel" ? (channel ?? "") : "workspace"}`;
      let window = windows.get(key);
      if (!window || now >= window.resetAt) windows.set(key, (window = { count: 0, resetAt: now + limit.windowMs }));
      if (window.count >= limit.limit) return { limited: true, retryAfterS: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
      window.count++;
      return { limited: false };
    },
    limitOf: (method) => limits.get(method),
    clear: () => windows.clear(),
  };
}
