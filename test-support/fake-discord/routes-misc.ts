// The small routes a client calls while starting: gateway information, the bot user, the application.
import { ok, type Handler } from "./route-context.js";

export const getGateway: Handler = (ctx) => ok({ url: ctx.settings.gatewayUrl() });

export const getGatewayBot: Handler = (ctx) =>
  ok({
    url: ctx.settings.gatewayUrl(),
    shards: 1,
    session_start_limit: { total: 1000, remaining: Math.max(0, 1000 - ctx.settings.identifyCount()), reset_after: 14_400_000, max_concurrency: 1 },
  });

export const getCurrentUser: Handler = (ctx) => ok({ ...ctx.world.bot, verified: true, mfa_enabled: false, flags: 0, email: null, locale: "en-US" });

export const getCurrentApplication: Handler = (ctx) =>
  ok({
    id: ctx.world.applicationId,
    name: ctx.world.bot.username,
    icon: null,
    description: "",
    summary: "",
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: "0".repeat(64),
    flags: ctx.world.applicationFlags,
    team: null,
    owner: { ...ctx.world.tester },
    bot: ctx.world.bot,
  });
