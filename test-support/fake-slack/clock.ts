// The fake's one notion of time: the wall clock plus an offset a test can push forward, so "30
// minutes later" (a response_url's lifetime) or "the rate-limit window is over" costs no real
// waiting. Everything time-based in the fake reads it: rate-limit windows, response_url expiry,
// message timestamps (ts), ack latencies and the default request-signing timestamp.

export { createClock, type FakeClock } from "../fake-kit/clock.js";
