// The gateway: a WebSocket endpoint speaking Discord's JSON protocol (no compression).
// HELLO on connect; IDENTIFY -> READY, then GUILD_CREATE per guild (with the GUILDS intent);
// heartbeats acknowledged; RESUME -> RESUMED for a known session; every dispatch numbered per
// session. Closes with Discord's codes for what a real gateway refuses.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { gateForIntents, Intent, PRIVILEGED_INTENTS } from "./intents.js";
import { guildCreatePayload, readyPayload } from "./payloads.js";
import type { IdentifyRecord } from "./types.js";
import { createWaitList, DEFAULT_WAIT_MS } from "../fake-kit/waits.js";
import type { World } from "./world.js";

export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
  RequestSoundboardSounds: 31,
} as const;

interface Session {
  socket: WebSocket;
  id?: string;
  intents: number;
  seq: number;
}

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  allowedPrivilegedIntents: number;
  token?: string;
  /** ws://127.0.0.1:PORT */
  url(): string;
}

export interface Gateway {
  readonly identifies: IdentifyRecord[];
  readonly heartbeats: number;
  /** RESUMEs answered with RESUMED. */
  readonly resumes: number;
  /** Sends op 7 Reconnect to every session: discord.js closes, reconnects and RESUMEs. */
  requestReconnect(): void;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Sends to every identified session its intents allow; returns how many got it. */
  broadcast(t: string, d: unknown): number;
  /** broadcast, but throws when no session is identified (a test dispatching into the void). */
  dispatch(t: string, d: unknown): number;
  sessions(): number;
  waitForIdentify(timeoutMs?: number): Promise<IdentifyRecord>;
  close(): void;
}

export function createGateway(world: World, options: GatewayOptions): Gateway {
  const server = new WebSocketServer({ noServer: true });
  const live = new Set<Session>();
  /** Sequence numbers of sessions that may be resumed, by session id. */
  const resumable = new Map<string, Session>();
  const identifies: IdentifyRecord[] = [];
  const waits = createWaitList("fake-discord");
  let heartbeats = 0;
  let resumes = 0;
  let closed = false;

  function send(session: Session, payload: Record<string, unknown>): void {
    if (session.socket.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  function sendDispatch(session: Session, t: string, d: unknown): void {
    session.seq++;
    send(session, { op: Op.Dispatch, t, s: session.seq, d });
  }

  function onIdentify(session: Session, d: Record<string, unknown>): void {
    if (session.id) return session.socket.close(4005, "Already authenticated.");
    if (typeof d.token !== "string" || (options.token !== undefined && d.token !== options.token)) {
      return session.socket.close(4004, "Authentication failed.");
    }
    if (typeof d.intents !== "number" || !Number.isInteger(d.intents) || d.intents < 0) {
      return session.socket.close(4013, "Invalid intent(s).");
    }
    if ((d.intents & PRIVILEGED_INTENTS & ~options.allowedPrivilegedIntents) !== 0) {
      return session.socket.close(4014, "Disallowed intent(s).");
    }
    if (d.shard !== undefined && JSON.stringify(d.shard) !== "[0,1]") return session.socket.close(4010, "Invalid shard.");
    session.id = randomBytes(16).toString("hex");
    session.intents = d.intents;
    resumable.set(session.id, session);
    identifies.push({
      token: d.token,
      intents: d.intents,
      properties: d.properties,
      shard: d.shard,
      compress: d.compress,
      presence: d.presence,
      at: world.clock.now(),
      sessionId: session.id,
    });
    waits.notify();
    sendDispatch(session, "READY", readyPayload(world, session.id, options.url()));
    // Guilds come as GUILD_CREATE after READY, and only with the GUILDS intent.
    if ((session.intents & Intent.Guilds) === 0) return;
    for (const guild of world.guilds) sendDispatch(session, "GUILD_CREATE", guildCreatePayload(world, guild));
  }

  function onResume(session: Session, d: Record<string, unknown>): void {
    const previous = typeof d.session_id === "string" ? resumable.get(d.session_id) : undefined;
    if (!previous || d.token !== identifies.find((i) => i.sessionId === previous.id)?.token) {
      send(session, { op: Op.InvalidSession, d: false, s: null, t: null });
      return;
    }
    session.id = previous.id;
    session.intents = previous.intents;
    session.seq = typeof d.seq === "number" ? d.seq : previous.seq;
    if (previous !== session && previous.socket.readyState === WebSocket.OPEN) previous.socket.terminate();
    live.delete(previous);
    resumable.set(session.id as string, session);
    resumes++;
    sendDispatch(session, "RESUMED", { _trace: ['["fake-discord-gateway",{"micros":0}]'] });
  }

  function onMessage(session: Session, raw: RawData): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(raw.toString()) as { op?: unknown; d?: unknown };
    } catch {
      return session.socket.close(4002, "Error while decoding payload.");
    }
    const d = typeof payload.d === "object" && payload.d !== null ? (payload.d as Record<string, unknown>) : {};
    switch (payload.op) {
      case Op.Heartbeat:
        heartbeats++;
        send(session, { op: Op.HeartbeatAck, d: null, s: null, t: null });
        return;
      case Op.Identify:
        return onIdentify(session, d);
      case Op.Resume:
        return onResume(session, d);
      case Op.PresenceUpdate:
      case Op.VoiceStateUpdate:
      case Op.RequestGuildMembers:
      case Op.RequestSoundboardSounds:
        if (!session.id) session.socket.close(4003, "Not authenticated.");
        return;
      default:
        session.socket.close(4001, "Unknown opcode.");
    }
  }

  server.on("connection", (socket: WebSocket, req: IncomingMessage) => {
    const session: Session = { socket, intents: 0, seq: 0 };
    live.add(session);
    socket.on("message", (raw) => onMessage(session, raw));
    socket.on("close", () => live.delete(session));
    socket.on("error", () => live.delete(session));
    const query = new URL(req.url ?? "/", "http://fake-discord").searchParams;
    if (query.get("v") !== "10") return socket.close(4012, "Invalid API version.");
    if ((query.get("encoding") ?? "json") !== "json") return socket.close(4002, "fake-discord speaks encoding=json only.");
    if (query.has("compress")) return socket.close(4002, "fake-discord does not compress.");
    send(session, { op: Op.Hello, d: { heartbeat_interval: options.heartbeatIntervalMs, _trace: ['["fake-discord-gateway",{"micros":0}]'] }, s: null, t: null });
  });

  function identified(): Session[] {
    return [...live].filter((s) => s.id !== undefined && s.socket.readyState === WebSocket.OPEN);
  }

  function broadcast(t: string, d: unknown): number {
    let sent = 0;
    for (const session of identified()) {
      const gated = gateForIntents(t, d, session.intents, world.bot.id);
      if (gated === undefined) continue;
      sendDispatch(session, t, gated);
      sent++;
    }
    return sent;
  }

  return {
    identifies,
    get heartbeats() {
      return heartbeats;
    },
    get resumes() {
      return resumes;
    },
    requestReconnect() {
      for (const session of identified()) send(session, { op: Op.Reconnect, d: null, s: null, t: null });
    },
    handleUpgrade(req, socket, head) {
      if (closed) return void socket.destroy();
      server.handleUpgrade(req, socket, head, (ws) => server.emit("connection", ws, req));
    },
    broadcast,
    dispatch(t, d) {
      if (identified().length === 0) throw new Error(`fake-discord: no identified gateway session to dispatch ${t} to (did the client log in?)`);
      return broadcast(t, d);
    },
    sessions: () => identified().length,
    waitForIdentify: (timeoutMs = DEFAULT_WAIT_MS) => waits.wait(() => identifies[0], timeoutMs, "IDENTIFY"),
    close() {
      closed = true;
      for (const session of live) session.socket.terminate();
      live.clear();
      server.close();
      waits.close();
    },
  };
}
