// Socket Mode: apps.connections.open hands out a one-use ticket URL; a WebSocket to it gets
// `hello` (SocketModeClient's start() resolves on it). Envelopes go to the newest connection;
// the client acks with { envelope_id, payload }, and the fake records each ack with its latency.
// `disconnect` asks the client to reconnect, as Slack does before moving a connection.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { FakeClock } from "./clock.js";
import { envelopeId } from "./ids.js";
import type { AckRecord, Envelope, EnvelopeType, SocketConnection } from "./types.js";
import { DEFAULT_WAIT_MS, type WaitList } from "../fake-kit/waits.js";

export const SOCKET_PATH = "/socket";

export interface SocketModeDeps {
  clock: FakeClock;
  waits: WaitList;
  appId: string;
  ackDeadlineMs: number;
  /** ws://127.0.0.1:PORT */
  baseUrl(): string;
  /** An ack carried a response payload for an envelope (a slash command's reply). */
  onAckPayload(envelope: Envelope, payload: Record<string, unknown>): void;
}

export interface EnvelopeInput {
  type: EnvelopeType;
  payload: Record<string, unknown>;
  acceptsResponsePayload: boolean;
  retryAttempt?: number;
  retryReason?: string;
}

interface Live {
  record: SocketConnection;
  socket: WebSocket;
}

export interface SocketMode {
  readonly connections: SocketConnection[];
  readonly envelopes: Envelope[];
  readonly acks: AckRecord[];
  /** A fresh ticket URL, what apps.connections.open answers. */
  openUrl(): string;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  openConnections(): number;
  waitForConnection(timeoutMs?: number): Promise<SocketConnection>;
  /** Sends on the newest open connection and resolves with the envelope once acked. */
  send(input: EnvelopeInput, timeoutMs?: number): Promise<Envelope>;
  requestDisconnect(reason: string): void;
  dropConnections(): void;
  clearRecord(): void;
  close(): void;
}

export function createSocketMode(deps: SocketModeDeps): SocketMode {
  const server = new WebSocketServer({ noServer: true });
  const tickets = new Map<string, { used: boolean }>();
  const live = new Set<Live>();
  const connections: SocketConnection[] = [];
  const envelopes: Envelope[] = [];
  const acks: AckRecord[] = [];
  let nextConnectionId = 1;
  let closed = false;
  const { clock, waits } = deps;

  const open = (): Live[] => [...live].filter((l) => l.socket.readyState === WebSocket.OPEN && l.record.helloAt !== undefined);

  function onMessage(connection: Live, raw: RawData): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(raw.toString()) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== "string") return;
    const at = clock.now();
    const envelope = envelopes.find((e) => e.envelopeId === message.envelope_id);
    const payload = typeof message.payload === "object" && message.payload !== null ? (message.payload as Record<string, unknown>) : undefined;
    const latencyMs = envelope ? at - envelope.sentAt : undefined;
    const ack: AckRecord = {
      envelopeId: message.envelope_id,
      connectionId: connection.record.id,
      at,
      ...(payload === undefined ? {} : { payload }),
      ...(latencyMs === undefined ? {} : { latencyMs }),
      late: latencyMs !== undefined && latencyMs > deps.ackDeadlineMs,
      duplicate: envelope?.ack !== undefined,
    };
    acks.push(ack);
    if (envelope && !envelope.ack) {
      envelope.ack = ack;
      if (envelope.acceptsResponsePayload && payload && Object.keys(payload).length > 0) deps.onAckPayload(envelope, payload);
    }
    waits.notify();
  }

  server.on("connection", (socket: WebSocket, req: IncomingMessage) => {
    const ticket = new URL(req.url ?? "/", "http://fake-slack").searchParams.get("ticket") ?? "";
    const record: SocketConnection = { id: nextConnectionId++, ticket, openedAt: clock.now(), pings: 0 };
    const connection: Live = { record, socket };
    connections.push(record);
    live.add(connection);
    const ended = (code?: number) => {
      if (record.closedAt === undefined) Object.assign(record, { closedAt: clock.now(), ...(code === undefined ? {} : { closeCode: code }) });
      live.delete(connection);
      waits.notify();
    };
    socket.on("message", (raw) => onMessage(connection, raw));
    socket.on("ping", () => record.pings++);
    socket.on("close", (code) => ended(code));
    socket.on("error", () => ended());
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: live.size,
        debug_info: { host: "fake-slack", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: deps.appId },
      }),
    );
    record.helloAt = clock.now();
    waits.notify();
  });

  return {
    connections,
    envelopes,
    acks,
    openUrl() {
      const ticket = randomBytes(16).toString("hex");
      tickets.set(ticket, { used: false });
      return `${deps.baseUrl()}${SOCKET_PATH}?ticket=${ticket}&app_id=${deps.appId}`;
    },
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? "/", "http://fake-slack");
      const ticket = tickets.get(url.searchParams.get("ticket") ?? "");
      if (closed || url.pathname !== SOCKET_PATH || !ticket || ticket.used) {
        // Slack refuses a made-up or reused ticket before the upgrade.
        socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      ticket.used = true;
      server.handleUpgrade(req, socket, head, (ws) => server.emit("connection", ws, req));
    },
    openConnections: () => open().length,
    waitForConnection: (timeoutMs = DEFAULT_WAIT_MS) => waits.wait(() => open()[0]?.record, timeoutMs, "Socket Mode connection with hello"),
    send(input, timeoutMs = DEFAULT_WAIT_MS) {
      const connection = open().at(-1);
      if (!connection) return Promise.reject(new Error(`fake-slack: no Socket Mode connection to send ${input.type} to (did app.start() finish?)`));
      const envelope: Envelope = {
        envelopeId: envelopeId(),
        type: input.type,
        payload: input.payload,
        acceptsResponsePayload: input.acceptsResponsePayload,
        ...(input.retryAttempt === undefined ? {} : { retryAttempt: input.retryAttempt, retryReason: input.retryReason ?? "" }),
        connectionId: connection.record.id,
        sentAt: clock.now(),
      };
      envelopes.push(envelope);
      const wire: Record<string, unknown> = { envelope_id: envelope.envelopeId, payload: envelope.payload, type: envelope.type, accepts_response_payload: envelope.acceptsResponsePayload };
      if (input.retryAttempt !== undefined) Object.assign(wire, { retry_attempt: input.retryAttempt, retry_reason: input.retryReason ?? "" });
      connection.socket.send(JSON.stringify(wire));
      waits.notify();
      return waits.wait(() => (envelope.ack ? envelope : undefined), timeoutMs, `ack of ${input.type} envelope ${envelope.envelopeId}`);
    },
    requestDisconnect(reason) {
      for (const connection of open()) connection.socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake-slack" } }));
    },
    dropConnections() {
      for (const connection of live) connection.socket.terminate();
    },
    clearRecord() {
      connections.splice(0, connections.length, ...[...live].map((l) => l.record));
      envelopes.length = 0;
      acks.length = 0;
    },
    close() {
      closed = true;
      for (const connection of live) connection.socket.terminate();
      live.clear();
      server.close();
    },
  };
}
