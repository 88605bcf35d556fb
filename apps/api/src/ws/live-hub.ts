import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import pg from "pg";
import { WebSocketServer, type WebSocket } from "ws";
import { LIVE_EVENTS_CHANNEL, LiveCloseCode, LiveServerMessage } from "@voxanne/contracts";
import { systemClock, type Clock } from "../lib/clock";
import type { Database } from "../db/database";
import type { Logger } from "../logger";
import { findRevokedSessions } from "../modules/auth/queries";
import { parseSessionsRevoked, SESSION_REVOKED_CHANNEL } from "../modules/auth/sessions";
import { consumeTicket, type TicketHolder } from "./tickets";

export const LIVE_PATH = "/ws";

export type LiveHubOptions = {
  db: Database;
  /** The database the triggers NOTIFY on; one dedicated LISTEN connection per process. */
  connectionString: string;
  logger: Logger;
  clock?: Clock;
  /** Ping + heartbeat message interval (default 25 s, under common 30–60 s proxy idle timeouts). */
  heartbeatMs?: number;
  /** A socket with more than this queued and unsent is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Browser origins allowed to open the feed (requests without Origin — servers, tests — pass). */
  allowedOrigins?: string[];
  /** Check each event against the contract before fan-out (default true; server.ts turns it off in production). */
  validateEvents?: boolean;
  /** Open sockets one user may hold on this process (default 5); more are refused with 429. */
  maxSocketsPerUser?: number;
  /**
   * How often the sessions behind open sockets are re-checked against the revocations (default
   * 5 s). Revocations are also announced with NOTIFY and close sockets at once; this catches any
   * the LISTEN connection missed.
   */
  sessionCheckMs?: number;
  /** Called with sessions another process (or this one) revoked, e.g. to drop cached auth answers. */
  onSessionsRevoked?: (sessionIds: string[]) => void;
};

type Client = { ws: WebSocket; orgId: string; userId: string; sessionId: string; alive: boolean };

export const DEFAULT_MAX_SOCKETS_PER_USER = 5;

/**
 * The `/ws` live feed of one API process. Database triggers NOTIFY every change on one channel;
 * this process LISTENs on a dedicated connection and forwards each event, as the exact payload
 * string, to the sockets in that org's room. Sockets authenticate with a single-use ticket that
 * names the session it was issued to; when that session is revoked (sign-out, password change,
 * refresh-token reuse — announced on SESSION_REVOKED_CHANNEL, and re-checked every few seconds)
 * the socket is closed with LiveCloseCode.sessionEnded.
 */
export class LiveHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  private readonly rooms = new Map<string, Set<Client>>();
  private readonly heartbeatMs: number;
  private readonly maxBufferedBytes: number;
  private readonly validate: boolean;
  private listener: pg.Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private sessionCheck: NodeJS.Timeout | null = null;
  private sessionCheckRunning = false;
  private readonly maxSocketsPerUser: number;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private stopped = false;
  private readonly invalidTypesLogged = new Set<string>();
  private readonly servers: { server: Server; onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void }[] = [];
  /** Events delivered to sockets since start (for tests and the benchmark). */
  delivered = 0;
  dropped = 0;

  constructor(private readonly options: LiveHubOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 25_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.validate = options.validateEvents ?? true;
    this.maxSocketsPerUser = options.maxSocketsPerUser ?? DEFAULT_MAX_SOCKETS_PER_USER;
  }

  private get log() {
    return this.options.logger;
  }

  private now(): Date {
    return (this.options.clock ?? systemClock).now();
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
    this.sessionCheck = setInterval(() => void this.recheckSessions(), this.options.sessionCheckMs ?? 5_000);
    this.sessionCheck.unref();
  }

  /** Handles `GET /ws?ticket=…` upgrades on this HTTP server. */
  attach(server: Server): void {
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head);
    server.on("upgrade", onUpgrade);
    this.servers.push({ server, onUpgrade });
  }

  get clientCount(): number {
    let n = 0;
    for (const room of this.rooms.values()) n += room.size;
    return n;
  }

  /** Closes every socket (clients reconnect and re-sync), e.g. after events may have been missed. */
  disconnectAll(code = 1012, reason = "live feed restarting"): void {
    for (const room of this.rooms.values()) for (const c of room) c.ws.close(code, reason);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.sessionCheck) clearInterval(this.sessionCheck);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const { server, onUpgrade } of this.servers) server.off("upgrade", onUpgrade);
    for (const room of this.rooms.values()) for (const c of room) c.ws.close(LiveCloseCode.goingAway, "server shutting down");
    this.rooms.clear();
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // LISTEN ---------------------------------------------------------------------------------------

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: "voxanne-live" });
    client.on("notification", (msg) => {
      if (msg.channel === LIVE_EVENTS_CHANNEL && msg.payload) this.onNotification(msg.payload);
      else if (msg.channel === SESSION_REVOKED_CHANNEL && msg.payload) this.onSessionsRevoked(msg.payload);
    });
    client.on("error", (err) => this.lostListener(client, err));
    client.on("end", () => this.lostListener(client, null));
    await client.connect();
    await client.query(`listen ${LIVE_EVENTS_CHANNEL}; listen ${SESSION_REVOKED_CHANNEL}`);
    this.listener = client;
    this.reconnectAttempt = 0;
  }

  private lostListener(client: pg.Client, err: Error | null): void {
    if (this.stopped || this.listener !== client) return;
    this.listener = null;
    client.end().catch(() => {});
    this.log.error({ err }, "live feed lost its LISTEN connection; reconnecting");
    // Events may have been missed while disconnected: make every dashboard reconnect and re-sync.
    this.disconnectAll(1012, "live feed restarting");
    const retry = () => {
      if (this.stopped) return;
      this.listen().catch((e) => {
        this.log.error({ err: e }, "live feed LISTEN reconnect failed");
        this.reconnectTimer = setTimeout(retry, Math.min(10_000, 500 * 2 ** this.reconnectAttempt++));
      });
    };
    this.reconnectTimer = setTimeout(retry, 500);
  }

  private onNotification(payload: string): void {
    // The org id is near the front of the payload, but parsing is the only safe way to read it.
    let orgId: string;
    let type: string;
    try {
      const parsed = JSON.parse(payload) as { orgId: string; type: string };
      orgId = parsed.orgId;
      type = parsed.type;
      if (this.validate && !LiveServerMessage.safeParse(parsed).success && !this.invalidTypesLogged.has(type)) {
        this.invalidTypesLogged.add(type);
        this.log.warn({ type }, "live event does not match its contract in packages/contracts/src/events.ts");
      }
    } catch {
      return;
    }
    this.broadcast(orgId, payload);
  }

  // Revoked sessions ------------------------------------------------------------------------------

  private onSessionsRevoked(payload: string): void {
    const notice = parseSessionsRevoked(payload);
    if (!notice) return;
    this.options.onSessionsRevoked?.(notice.sessionIds);
    this.closeSessions(new Set(notice.sessionIds));
  }

  /** Closes every socket opened by one of these sessions; the client then finds it is signed out. */
  closeSessions(sessionIds: ReadonlySet<string>): number {
    let closed = 0;
    for (const room of [...this.rooms.values()]) {
      for (const client of [...room]) {
        if (!sessionIds.has(client.sessionId)) continue;
        this.leave(client);
        client.ws.close(LiveCloseCode.sessionEnded, "session ended");
        closed++;
      }
    }
    return closed;
  }

  /** Asks the database which of the open sockets' sessions are revoked (a backstop for missed NOTIFYs). */
  async recheckSessions(): Promise<void> {
    if (this.sessionCheckRunning) return;
    const sessionIds = new Set<string>();
    for (const room of this.rooms.values()) for (const c of room) sessionIds.add(c.sessionId);
    if (sessionIds.size === 0) return;
    this.sessionCheckRunning = true;
    try {
      const revoked = await this.options.db.asSystem((tx) => findRevokedSessions(tx, [...sessionIds]));
      if (revoked.length > 0) {
        this.options.onSessionsRevoked?.(revoked);
        this.closeSessions(new Set(revoked));
      }
    } catch (err) {
      this.log.warn({ err }, "could not re-check the sessions of live-feed sockets");
    } finally {
      this.sessionCheckRunning = false;
    }
  }

  /** Sends one serialized message to every socket of the org; drops sockets that cannot keep up. */
  broadcast(orgId: string, payload: string): void {
    const room = this.rooms.get(orgId);
    if (!room) return;
    // Encode once, frame per socket: with 1,000 dashboards the UTF-8 conversion would dominate.
    const data = Buffer.from(payload);
    for (const client of room) {
      if (client.ws.readyState !== client.ws.OPEN) continue;
      if (client.ws.bufferedAmount > this.maxBufferedBytes) {
        this.drop(client);
        continue;
      }
      client.ws.send(data, { binary: false });
      this.delivered++;
    }
  }

  private drop(client: Client): void {
    this.dropped++;
    this.leave(client);
    this.log.warn({ orgId: client.orgId, userId: client.userId, buffered: client.ws.bufferedAmount }, "dropping a live-feed client that cannot keep up");
    // Its close frame would wait behind the backlog; cut the connection so the memory is freed now.
    client.ws.terminate();
  }

  private leave(client: Client): void {
    const room = this.rooms.get(client.orgId);
    if (!room) return;
    room.delete(client);
    if (room.size === 0) this.rooms.delete(client.orgId);
  }

  // Heartbeat ------------------------------------------------------------------------------------

  private beat(): void {
    const message = JSON.stringify({ type: "heartbeat", at: this.now().toISOString() });
    for (const room of [...this.rooms.values()]) {
      for (const client of [...room]) {
        if (!client.alive) {
          this.leave(client);
          client.ws.close(LiveCloseCode.heartbeatTimeout, "no pong");
          client.ws.terminate();
          continue;
        }
        client.alive = false;
        client.ws.ping();
        if (client.ws.bufferedAmount > this.maxBufferedBytes) this.drop(client);
        else client.ws.send(message);
      }
    }
  }

  // Upgrade --------------------------------------------------------------------------------------

  private reject(socket: Duplex, status: number, reason: string, message: string): void {
    const body = JSON.stringify({ error: { code: reason, message } });
    const reasons: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests" };
    socket.end(
      `HTTP/1.1 ${status} ${reasons[status] ?? "Error"}\r\n` +
        `Content-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== LIVE_PATH) return this.reject(socket, 404, "not_found", `No WebSocket endpoint at ${url.pathname}; use ${LIVE_PATH}.`);
    const origin = req.headers.origin;
    if (origin && this.options.allowedOrigins && !this.options.allowedOrigins.includes(origin)) {
      return this.reject(socket, 403, "origin_not_allowed", "This origin may not open the live feed.");
    }
    const ticket = url.searchParams.get("ticket") ?? "";
    let holder: TicketHolder | null = null;
    try {
      holder = ticket ? await consumeTicket(this.options.db, ticket, this.now()) : null;
    } catch (err) {
      this.log.error({ err }, "could not check a live-feed ticket");
    }
    if (!holder) {
      return this.reject(
        socket,
        401,
        "invalid_ticket",
        "The live-feed ticket is missing, unknown, expired or already used. Get a new one from POST /api/ws/ticket.",
      );
    }
    if (this.stopped) return this.reject(socket, 404, "not_found", "The live feed is shutting down.");
    if (this.socketsOf(holder) >= this.maxSocketsPerUser) {
      return this.reject(
        socket,
        429,
        "too_many_live_connections",
        `This account already has ${this.maxSocketsPerUser} live-feed connections open. Close a dashboard tab or window, then reload this one.`,
      );
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.join(ws, holder!));
  }

  private socketsOf(holder: TicketHolder): number {
    let n = 0;
    for (const c of this.rooms.get(holder.orgId) ?? []) if (c.userId === holder.userId) n++;
    return n;
  }

  private join(ws: WebSocket, holder: TicketHolder): void {
    const client: Client = { ws, orgId: holder.orgId, userId: holder.userId, sessionId: holder.sessionId, alive: true };
    let room = this.rooms.get(holder.orgId);
    if (!room) {
      room = new Set();
      this.rooms.set(holder.orgId, room);
    }
    room.add(client);
    ws.on("pong", () => {
      client.alive = true;
    });
    ws.on("message", () => {
      // The feed is one-way; anything from the client only proves it is alive.
      client.alive = true;
    });
    ws.on("close", () => this.leave(client));
    ws.on("error", () => this.leave(client));
    ws.send(JSON.stringify({ type: "ready", orgId: holder.orgId, serverTime: this.now().toISOString(), heartbeatMs: this.heartbeatMs }));
  }
}
