import { describe, expect, it } from "vitest";
import { DEFAULT_KEEP_ALIVE_MS, parseKeepAlive } from "./keep-alive.js";

describe("parseKeepAlive", () => {
  it("reads numbers as seconds and strings as Go durations", () => {
    expect(parseKeepAlive(undefined)).toEqual({ ok: true, ms: DEFAULT_KEEP_ALIVE_MS });
    expect(parseKeepAlive(30)).toEqual({ ok: true, ms: 30_000 });
    expect(parseKeepAlive(0)).toEqual({ ok: true, ms: 0 });
    expect(parseKeepAlive("1h30m")).toEqual({ ok: true, ms: 5_400_000 });
    expect(parseKeepAlive("250ms")).toEqual({ ok: true, ms: 250 });
    expect(parseKeepAlive("1.5s")).toEqual({ ok: true, ms: 1500 });
    expect(parseKeepAlive("0")).toEqual({ ok: true, ms: 0 });
  });

  it("treats anything negative as forever", () => {
    expect(parseKeepAlive(-1)).toEqual({ ok: true, ms: -1 });
    expect(parseKeepAlive("-5m")).toEqual({ ok: true, ms: -1 });
  });

  it("rejects what Go's time.ParseDuration rejects, with its text", () => {
    expect(parseKeepAlive("300")).toEqual({ ok: false, error: 'time: missing unit in duration "300"' });
    expect(parseKeepAlive("soon")).toEqual({ ok: false, error: 'time: invalid duration "soon"' });
    expect(parseKeepAlive("5d")).toEqual({ ok: false, error: 'time: unknown unit "d" in duration "5d"' });
    expect(parseKeepAlive(true)).toMatchObject({ ok: false });
  });
});
