// The REST routes the fake serves, matched on the path under /api/v10. Each route knows
// whether it needs the bot token, which rate-limit bucket it counts against and whether it is
// a message edit (counted per channel as well).
import * as channels from "./routes-channels.js";
import * as commands from "./routes-commands.js";
import * as interactions from "./routes-interactions.js";
import * as misc from "./routes-misc.js";
import type { Handler } from "./route-context.js";
import type { RouteName } from "./types.js";

export interface RouteDef {
  name: RouteName;
  method: string;
  pattern: string;
  /** Needs `Authorization: Bot <token>`. */
  botAuth: boolean;
  handler: Handler;
  /** A message edit: also counted against its channel's edit limit. */
  edit?: boolean;
  /** Parameters implied by a literal segment (e.g. "@original"). */
  fixed?: Record<string, string>;
  /** The template the bucket hash comes from, when it differs from `pattern`. */
  bucket?: string;
}

const WEBHOOK_MESSAGE = "/webhooks/:applicationId/:webhookToken/messages/:messageId";
const ORIGINAL = "/webhooks/:applicationId/:webhookToken/messages/@original";

const def = (name: RouteName, method: string, pattern: string, handler: Handler, extra: Partial<RouteDef> = {}): RouteDef => ({
  name,
  method,
  pattern,
  handler,
  botAuth: !pattern.startsWith("/webhooks/") && !pattern.startsWith("/interactions/") && pattern !== "/gateway",
  ...extra,
});

export const ROUTES: readonly RouteDef[] = [
  def("getGateway", "GET", "/gateway", misc.getGateway),
  def("getGatewayBot", "GET", "/gateway/bot", misc.getGatewayBot),
  def("getCurrentUser", "GET", "/users/@me", misc.getCurrentUser),
  def("getCurrentApplication", "GET", "/applications/@me", misc.getCurrentApplication),

  def("interactionCallback", "POST", "/interactions/:interactionId/:interactionToken/callback", interactions.interactionCallback),
  def("getOriginal", "GET", ORIGINAL, interactions.getWebhookMessage, { fixed: { messageId: "@original" }, bucket: WEBHOOK_MESSAGE }),
  def("editOriginal", "PATCH", ORIGINAL, interactions.patchWebhookMessage, { fixed: { messageId: "@original" }, bucket: WEBHOOK_MESSAGE, edit: true }),
  def("deleteOriginal", "DELETE", ORIGINAL, interactions.deleteWebhookMessage, { fixed: { messageId: "@original" }, bucket: WEBHOOK_MESSAGE }),
  def("getWebhookMessage", "GET", WEBHOOK_MESSAGE, interactions.getWebhookMessage),
  def("editWebhookMessage", "PATCH", WEBHOOK_MESSAGE, interactions.patchWebhookMessage, { edit: true }),
  def("deleteWebhookMessage", "DELETE", WEBHOOK_MESSAGE, interactions.deleteWebhookMessage),
  def("createFollowup", "POST", "/webhooks/:applicationId/:webhookToken", interactions.createFollowup),

  def("getChannel", "GET", "/channels/:channelId", channels.getChannel),
  def("listMessages", "GET", "/channels/:channelId/messages", channels.listMessages),
  def("createMessage", "POST", "/channels/:channelId/messages", channels.postMessage),
  def("getMessage", "GET", "/channels/:channelId/messages/:messageId", channels.getMessage),
  def("editMessage", "PATCH", "/channels/:channelId/messages/:messageId", channels.patchMessage, { edit: true }),
  def("deleteMessage", "DELETE", "/channels/:channelId/messages/:messageId", channels.deleteMessage),
  def("startThreadFromMessage", "POST", "/channels/:channelId/messages/:messageId/threads", channels.startThreadFromMessage),
  def("startThread", "POST", "/channels/:channelId/threads", channels.startThread),
  def("typing", "POST", "/channels/:channelId/typing", channels.typing),

  def("getCommands", "GET", "/applications/:applicationId/commands", commands.getCommands),
  def("putCommands", "PUT", "/applications/:applicationId/commands", commands.putCommands),
  def("createCommand", "POST", "/applications/:applicationId/commands", commands.createCommand),
  def("getGuildCommands", "GET", "/applications/:applicationId/guilds/:guildId/commands", commands.getCommands),
  def("putGuildCommands", "PUT", "/applications/:applicationId/guilds/:guildId/commands", commands.putCommands),
  def("createGuildCommand", "POST", "/applications/:applicationId/guilds/:guildId/commands", commands.createCommand),
];

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? "";
    const g = got[i] ?? "";
    if (w.startsWith(":")) {
      if (g === "") return undefined;
      params[w.slice(1)] = g;
    } else if (w !== g) return undefined;
  }
  return params;
}

export type RouteMatch =
  | { kind: "found"; route: RouteDef; params: Record<string, string> }
  | { kind: "wrong-method"; allowed: string[] }
  | { kind: "none" };

/** `path` with its segments percent-decoded (discord.js sends "@original" as "%40original"). */
export function decodePath(path: string): string {
  return path
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

/** The route for a decoded path under /api/v10. */
export function findRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, path);
    if (!params) continue;
    if (route.method === method) return { kind: "found", route, params: { ...params, ...route.fixed } };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: "wrong-method", allowed } : { kind: "none" };
}

/** The top-level resource of a call, as Discord scopes per-route limits. */
export function majorParameter(params: Readonly<Record<string, string>>): string {
  if (params.channelId) return `channel:${params.channelId}`;
  if (params.guildId) return `guild:${params.guildId}`;
  if (params.webhookToken) return `webhook:${params.applicationId ?? ""}/${params.webhookToken}`;
  if (params.interactionId) return `interaction:${params.interactionId}`;
  return "global";
}
