// Helpers for the fake's own tests: a fake per test and real discord.js Clients logged in to
// it, torn down in the right order (clients first: a client whose gateway vanishes reconnects).
import { Client, Events, GatewayIntentBits, type ClientOptions } from "discord.js";
import { afterEach } from "vitest";
import { startFakeDiscord } from "./server.js";
import type { FakeDiscord, FakeDiscordOptions } from "./types.js";

export const DEFAULT_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

export interface Harness {
  start(options?: FakeDiscordOptions): Promise<FakeDiscord>;
  /** A Client logged in to the fake, resolved once clientReady fired (guilds cached). */
  client(fake: FakeDiscord, options?: Partial<ClientOptions>): Promise<Client<true>>;
}

export function useFakeDiscord(): Harness {
  const fakes: FakeDiscord[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });
  return {
    async start(options) {
      const fake = await startFakeDiscord(options);
      fakes.push(fake);
      return fake;
    },
    async client(fake, options = {}) {
      const client = new Client({ intents: DEFAULT_INTENTS, ...options, rest: { api: fake.restBase, ...options.rest } });
      clients.push(client);
      const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
      await client.login("fake-bot-token");
      return ready;
    },
  };
}

/** Resolves with the next `event` the client emits (first argument). */
export function nextEvent<T>(client: Client, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    client.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
