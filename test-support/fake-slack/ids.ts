// Slack's identifiers: message timestamps ("1712345678.000100": seconds and microseconds, unique
// per channel and increasing), envelope ids, trigger ids, event ids and response_url ids.
import { randomBytes, randomUUID } from "node:crypto";

export interface TsSource {
  /** A fresh ts at `nowMs`, strictly after every ts handed out before. */
  next(nowMs: number): string;
}

export function createTsSource(): TsSource {
  let lastMicros = 0;
  return {
    next(nowMs) {
      const micros = Math.max(Math.floor(nowMs) * 1000, lastMicros + 1);
      lastMicros = micros;
      return tsOf(micros);
    },
  };
}

function tsOf(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
}

export const envelopeId = (): string => randomUUID();
export const eventId = (): string => `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
export const triggerId = (nowMs: number): string => `${Math.floor(nowMs / 1000)}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString("hex")}`;
export const clientMsgId = (): string => randomUUID();
export const opaqueId = (): string => randomBytes(12).toString("hex");
