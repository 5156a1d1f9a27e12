// Rate limits shaped like Discord's: fixed windows per route bucket and top-level resource,
// X-RateLimit-* headers on every answer, and 429 { message, retry_after, global: false } with
// Retry-After (whole seconds, rounded up, as Discord sends it) when a window is spent.
// Message edits are also counted per channel, across routes (see FakeRateLimits.edits).
import { createHash } from "node:crypto";
import type { FakeRateLimits } from "./types.js";

export const DEFAULT_EDIT_LIMIT = { limit: 5, windowMs: 5000 };
export const DEFAULT_ROUTE_LIMIT = { limit: 50, windowMs: 1000 };

export interface BucketKey {
  /** Method and route template, e.g. "PATCH /channels/:channelId/messages/:messageId". */
  route: string;
  /** The top-level resource: channel id, guild id, webhook id + token, interaction id. */
  major: string;
  /** Set for message edits: the channel the edited message is in. */
  editChannel?: string;
}

export type RateDecision =
  | { limited: false; headers: Record<string, string> }
  | { limited: true; headers: Record<string, string>; body: { message: string; retry_after: number; global: false } };

export interface RateLimiter {
  take(key: BucketKey, now: number): RateDecision;
  /** The X-RateLimit-* headers of a bucket without counting a request (for answers that are not routed). */
  peek(key: BucketKey, now: number): Record<string, string>;
  clear(): void;
}

interface Window {
  limit: number;
  windowMs: number;
  count: number;
  resetAt: number;
}

function roll(window: Window, now: number): void {
  if (now >= window.resetAt) {
    window.count = 0;
    window.resetAt = now + window.windowMs;
  }
}

export function bucketHash(route: string): string {
  return createHash("md5").update(route).digest("hex");
}

function headersOf(window: Window, hash: string, now: number): Record<string, string> {
  const resetAfter = Math.max(0, window.resetAt - now);
  return {
    "X-RateLimit-Limit": String(window.limit),
    "X-RateLimit-Remaining": String(Math.max(0, window.limit - window.count)),
    "X-RateLimit-Reset": (window.resetAt / 1000).toFixed(3),
    "X-RateLimit-Reset-After": (resetAfter / 1000).toFixed(3),
    "X-RateLimit-Bucket": hash,
  };
}

export function createRateLimiter(config: FakeRateLimits = {}): RateLimiter {
  const edit = { ...DEFAULT_EDIT_LIMIT, ...config.edits };
  const route = { ...DEFAULT_ROUTE_LIMIT, ...config.routes };
  const advertised = config.edits?.advertised ?? false;
  const routeWindows = new Map<string, Window>();
  const editWindows = new Map<string, Window>();

  function windowFor(map: Map<string, Window>, key: string, limits: { limit: number; windowMs: number }): Window {
    let window = map.get(key);
    if (!window) map.set(key, (window = { ...limits, count: 0, resetAt: 0 }));
    return window;
  }

  function windows(key: BucketKey, now: number) {
    const hash = bucketHash(key.route);
    const routeWindow = windowFor(routeWindows, `${hash}:${key.major}`, route);
    roll(routeWindow, now);
    const editWindow = key.editChannel === undefined ? undefined : windowFor(editWindows, key.editChannel, edit);
    if (editWindow) roll(editWindow, now);
    return { hash, routeWindow, editWindow };
  }

  function limitedBy(window: Window, hash: string, now: number): RateDecision {
    const retryMs = Math.max(1, window.resetAt - now);
    return {
      limited: true,
      headers: {
        ...headersOf(window, hash, now),
        "Retry-After": String(Math.ceil(retryMs / 1000)),
        "X-RateLimit-Scope": "user",
      },
      body: { message: "You are being rate limited.", retry_after: Math.round(retryMs) / 1000, global: false },
    };
  }

  return {
    take(key, now) {
      const { hash, routeWindow, editWindow } = windows(key, now);
      if (editWindow && editWindow.count >= editWindow.limit) return limitedBy(editWindow, hash, now);
      if (routeWindow.count >= routeWindow.limit) return limitedBy(routeWindow, hash, now);
      routeWindow.count++;
      if (editWindow) editWindow.count++;
      const shown = editWindow && advertised ? editWindow : routeWindow;
      return { limited: false, headers: headersOf(shown, hash, now) };
    },
    peek(key, now) {
      const { hash, routeWindow, editWindow } = windows(key, now);
      return headersOf(editWindow && advertised ? editWindow : routeWindow, hash, now);
    },
    clear() {
      routeWindows.clear();
      editWindows.clear();
    },
  };
}
