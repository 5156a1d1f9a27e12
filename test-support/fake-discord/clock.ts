// The fake's one notion of time: the wall clock plus an offset a test can push forward, so
// "15 minutes later" (the interaction token's lifetime) or "the rate-limit window is over"
// costs no real waiting. Everything time-based in the fake reads this clock: interaction
// deadlines, token expiry, rate-limit windows, snowflake timestamps and message timestamps.

export { createClock, type FakeClock } from "../fake-kit/clock.js";

export const isoTime = (ms: number): string => new Date(ms).toISOString().replace("Z", "+00:00");
