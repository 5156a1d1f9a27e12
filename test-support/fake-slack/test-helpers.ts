// Helpers for the fake's own tests: a fake per test and real Bolt Apps talking to it (Socket Mode
// or HTTP), torn down in the right order (apps first: a Socket Mode client whose server vanishes
// reconnects), and a quiet logger that keeps what Bolt said.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel, type AppOptions, type Logger } from "@slack/bolt";
import { afterEach } from "vitest";
import { startFakeSlack } from "./server.js";
import type { FakeSlack, FakeSlackOptions } from "./types.js";

export const BOT_TOKEN = "xoxb-fake-bot-token";
export const APP_TOKEN = "xapp-1-A0APP0001-fake-app-token";
export const SIGNING_SECRET = "fake-signing-secret";

export interface QuietLogger extends Logger {
  readonly lines: { level: string; text: string }[];
}

/** A Bolt logger that prints nothing and keeps every line (warn and error by default). */
export function quietLogger(level: LogLevel = LogLevel.WARN): QuietLogger {
  const lines: { level: string; text: string }[] = [];
  let current = level;
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const keep = (at: LogLevel) => (...args: unknown[]) => {
    if (order.indexOf(at) >= order.indexOf(current)) lines.push({ level: at, text: args.map(String).join(" ") });
  };
  return {
    lines,
    debug: keep(LogLevel.DEBUG),
    info: keep(LogLevel.INFO),
    warn: keep(LogLevel.WARN),
    error: keep(LogLevel.ERROR),
    setLevel: (next) => void (current = next),
    getLevel: () => current,
    setName: () => {},
  };
}

export interface Harness {
  start(options?: FakeSlackOptions): Promise<FakeSlack>;
  /** A Bolt App in Socket Mode, connected (app.start() resolved on hello). */
  socketApp(fake: FakeSlack, options?: Partial<AppOptions>): Promise<App>;
  /** A Bolt App with its HTTPReceiver on 127.0.0.1 (a free port); `eventsUrl` is its /slack/events. */
  httpApp(fake: FakeSlack, options?: Partial<AppOptions>): Promise<{ app: App; eventsUrl: string }>;
}

export function useFakeSlack(): Harness {
  const fakes: FakeSlack[] = [];
  const apps: App[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop().catch(() => {})));
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  });
  return {
    async start(options) {
      const fake = await startFakeSlack(options);
      fakes.push(fake);
      return fake;
    },
    async socketApp(fake, options = {}) {
      const app = new App({
        token: BOT_TOKEN,
        appToken: APP_TOKEN,
        socketMode: true,
        logger: quietLogger(),
        ...options,
        clientOptions: { slackApiUrl: fake.apiUrl, ...options.clientOptions },
      });
      apps.push(app);
      await app.start();
      return app;
    },
    async httpApp(fake, options = {}) {
      const app = new App({
        token: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        logger: quietLogger(),
        ...options,
        clientOptions: { slackApiUrl: fake.apiUrl, ...options.clientOptions },
      });
      apps.push(app);
      const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
      const { port } = server.address() as AddressInfo;
      return { app, eventsUrl: `http://127.0.0.1:${port}/slack/events` };
    },
  };
}

/** Resolves with the first value `register` hands to its callback. */
export function captured<T>(register: (resolve: (value: T) => void) => void, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing captured within ${timeoutMs} ms`)), timeoutMs);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
