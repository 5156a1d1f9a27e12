import { z } from "zod";
import { httpUrl, idList, integer, oneOf, optionalText, originList, secret, textWithDefault } from "./settings.js";

// Discord is enabled by DISCORD_TOKEN. Gateway mode (the default) needs nothing public; HTTP
// interactions mode serves Discord's signed requests on DISCORD_HTTP_PORT.
export const discordSettings = {
  DISCORD_TOKEN: secret({ minLength: 20 }).describe(
    "set it to the bot token from the Discord developer portal (Bot > Reset Token), or leave it empty to run without Discord.",
  ),
  DISCORD_APP_ID: optionalText().describe("set it to the Application ID from the developer portal (General Information)."),
  DISCORD_GUILD_ID: optionalText().describe("set it to a server id to register the commands there only (instant, for development), or leave it empty to register them globally."),
  DISCORD_API_URL: httpUrl("https://discord.com/api").describe("leave it empty for Discord's own API, or set the base URL of a proxy, e.g. http://127.0.0.1:3000/api."),
  DISCORD_MODE: oneOf(["gateway", "http"] as const, "gateway").describe("set it to gateway (a WebSocket, the default) or http (Discord posts interactions to DISCORD_HTTP_PORT)."),
  DISCORD_PUBLIC_KEY: optionalText().describe("set it to the Public Key from the developer portal (General Information); HTTP mode verifies every request with it."),
  DISCORD_HTTP_HOST: textWithDefault("127.0.0.1").describe("set it to the address the interactions endpoint listens on (behind your HTTPS proxy)."),
  DISCORD_HTTP_PORT: integer({ min: 1, max: 65_535, default: 8002 }).describe("set it to a free TCP port for the interactions endpoint, e.g. 8002."),
  DISCORD_ADMIN_ROLE_IDS: idList().describe("list the role ids allowed to run /council-health, comma-separated."),
  DISCORD_ADMIN_USER_IDS: idList().describe("list the user ids allowed to run /council-health, comma-separated."),
  DISCORD_ALLOWED_GUILD_IDS: idList().describe("list the server ids where /council may run, or leave it empty for every server."),
  DISCORD_ALLOWED_CHANNEL_IDS: idList().describe("list the channel ids where /council may run, or leave it empty for every channel."),
  DISCORD_ALLOWED_ROLE_IDS: idList().describe("list the role ids whose members may run /council, or leave it empty for everyone."),
  DISCORD_FILE_HOSTS: originList("https://cdn.discordapp.com,https://media.discordapp.net").describe(
    "list the origins Discord serves attached files from, comma-separated (default https://cdn.discordapp.com,https://media.discordapp.net); files anywhere else are refused.",
  ),
  DISCORD_ATTACH_OVER_CHARS: integer({ min: 2000, max: 100_000, default: 6000 }).describe(
    "set it to the length past which a long answer is attached as a .md file instead of split into messages (default 6000).",
  ),
};

export function checkDiscordSettings(
  settings: { DISCORD_TOKEN?: string; DISCORD_APP_ID?: string; DISCORD_MODE: string; DISCORD_PUBLIC_KEY?: string },
  ctx: z.RefinementCtx,
): void {
  if (settings.DISCORD_TOKEN === undefined) return;
  if (settings.DISCORD_APP_ID === undefined || !/^\d+$/.test(settings.DISCORD_APP_ID)) {
    ctx.addIssue({ code: "custom", path: ["DISCORD_APP_ID"], message: "is needed with DISCORD_TOKEN, and is a number" });
  }
  if (settings.DISCORD_MODE === "http" && !/^[0-9a-f]{64}$/i.test(settings.DISCORD_PUBLIC_KEY ?? "")) {
    ctx.addIssue({ code: "custom", path: ["DISCORD_PUBLIC_KEY"], message: "is needed in http mode: 64 hexadecimal characters" });
  }
}
