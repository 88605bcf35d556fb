import { LiveCloseCode, LiveServerMessage, type LiveEvent, type LiveEventType, type LiveTicket } from "./events";

/**
 * Browser-safe client for the `/ws` live feed (no Node imports). It fetches a single-use ticket,
 * connects, validates every message against the contract, reconnects with exponential backoff and
 * full jitter, and after every reconnect asks the page to re-sync over REST (events sent while it
 * was away are not replayed).
 *
 *   const live = createLiveClient({
 *     getTicket: () => api.call(apiRoutes.live.ticket),
 *     onResync: () => refetchStatsAndCalls(),
 *   });
 *   const off = live.on("call.ended", (e) => …);
 *   live.start();  …  live.stop();
 */

/** The part of the WebSocket API the client uses: the browser's, or `ws` in Node. */
export interface LiveSocket {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}
export type LiveSocketFactory = new (url: string) => LiveSocket;

export type LiveStatus = "idle" | "connecting" | "open" | "reconnecting" | "unauthorized" | "stopped";

export type LiveClientOptions = {
  /** Gets a fresh ticket: `POST /api/ws/ticket`. A rejection with `status: 401` stops the client. */
  getTicket: () => Promise<LiveTicket>;
  /**
   * Where the API is: "" / omitted = the page's own origin (the dashboard proxies /ws), or e.g.
   * "http://localhost:3000". http→ws and https→wss are mapped.
   */
  baseUrl?: string;
  /** Defaults to `globalThis.WebSocket`. */
  WebSocket?: LiveSocketFactory;
  onEvent?: (event: LiveEvent) => void;
  /**
   * Called after each successful reconnect (not the first connect), and when the server says a
   * bulk change happened ("resync"): refetch what the page shows.
   */
  onResync?: () => void | Promise<void>;
  onStatus?: (status: LiveStatus) => void;
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** For tests: deterministic jitter. */
  random?: () => number;
};

export type LiveClient = {
  start(): void;
  stop(): void;
  readonly status: LiveStatus;
  /** Subscribe to one event type, or "*" for all; returns an unsubscribe function. */
  on<T extends LiveEventType | "*">(type: T, handler: (event: T extends LiveEventType ? Extract<LiveEvent, { type: T }> : LiveEvent) => void): () => void;
};

/** The delay before reconnect attempt `attempt` (0-based): full jitter over an exponential cap. */
export function backoffDelay(
  attempt: number,
  options: { initialMs?: number; maxMs?: number; factor?: number } = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const cap = Math.min(max, initial * factor ** attempt);
  return Math.round(initial / 2 + random() * Math.max(0, cap - initial / 2));
}

export function liveSocketUrl(baseUrl: string | undefined, ticket: LiveTicket): string {
  let origin = baseUrl;
  if (!origin) {
    const loc = (globalThis as { location?: { origin: string } }).location;
    if (!loc) throw new Error("createLiveClient needs baseUrl outside a browser");
    origin = loc.origin;
  }
  const wsOrigin = origin.replace(/\/+$/, "").replace(/^http(s?):/i, (_m, s: string) => `ws${s}:`);
  return `${wsOrigin}${ticket.path}?ticket=${encodeURIComponent(ticket.ticket)}`;
}

const SEEN_IDS = 500;

export function createLiveClient(options: LiveClientOptions): LiveClient {
  const maybeSocket = options.WebSocket ?? (globalThis as unknown as { WebSocket?: LiveSocketFactory }).WebSocket;
  if (!maybeSocket) throw new Error("No WebSocket implementation: pass options.WebSocket");
  const Socket: LiveSocketFactory = maybeSocket;
  const random = options.random ?? Math.random;
  const handlers = new Map<string, Set<(event: LiveEvent) => void>>();
  const seen: string[] = [];
  const seenSet = new Set<string>();

  let status: LiveStatus = "idle";
  let socket: LiveSocket | null = null;
  let attempt = 0;
  let everConnected = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let watchdog: ReturnType<typeof setTimeout> | null = null;
  let heartbeatMs = 30_000;
  let generation = 0;

  const setStatus = (next: LiveStatus) => {
    if (status === next) return;
    status = next;
    options.onStatus?.(next);
  };

  const clearTimers = () => {
    if (retryTimer) clearTimeout(retryTimer);
    if (watchdog) clearTimeout(watchdog);
    retryTimer = watchdog = null;
  };

  // Any message proves the link is alive; silence for two heartbeats means it is not.
  const armWatchdog = () => {
    if (watchdog) clearTimeout(watchdog);
    watchdog = setTimeout(() => socket?.close(4000, "heartbeat missed"), heartbeatMs * 2);
  };

  const dispatch = (event: LiveEvent) => {
    if (seenSet.has(event.id)) return;
    seenSet.add(event.id);
    seen.push(event.id);
    if (seen.length > SEEN_IDS) seenSet.delete(seen.shift()!);
    options.onEvent?.(event);
    for (const key of [event.type, "*"]) for (const h of handlers.get(key) ?? []) h(event);
  };

  const scheduleReconnect = () => {
    if (status === "stopped" || status === "unauthorized") return;
    setStatus("reconnecting");
    const delay = backoffDelay(attempt++, options.backoff, random);
    retryTimer = setTimeout(connect, delay);
  };

  async function connect() {
    const myGeneration = ++generation;
    setStatus(everConnected ? "reconnecting" : "connecting");
    let ticket: LiveTicket;
    try {
      ticket = await options.getTicket();
    } catch (err) {
      if (myGeneration !== generation || status === "stopped") return;
      if ((err as { status?: number }).status === 401) {
        setStatus("unauthorized");
        return;
      }
      scheduleReconnect();
      return;
    }
    if (myGeneration !== generation || status === "stopped") return;
    const ws = new Socket(liveSocketUrl(options.baseUrl, ticket));
    socket = ws;
    ws.onmessage = (ev) => {
      if (socket !== ws) return;
      armWatchdog();
      let parsed: unknown;
      try {
        parsed = JSON.parse(typeof ev.data === "string" ? ev.data : String(ev.data));
      } catch {
        return;
      }
      const msg = LiveServerMessage.safeParse(parsed);
      if (!msg.success) return; // a newer server's event type: ignore, don't crash the page
      if (msg.data.type === "ready") {
        heartbeatMs = msg.data.heartbeatMs;
        armWatchdog();
        const reconnected = everConnected;
        everConnected = true;
        attempt = 0;
        setStatus("open");
        if (reconnected) void Promise.resolve(options.onResync?.()).catch(() => {});
        return;
      }
      if (msg.data.type === "heartbeat") return;
      if (msg.data.type === "resync") {
        void Promise.resolve(options.onResync?.()).catch(() => {});
        return;
      }
      dispatch(msg.data);
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      if (watchdog) clearTimeout(watchdog);
      // The session was signed out or revoked: a new ticket would be refused, so stop here.
      if (ev?.code === LiveCloseCode.sessionEnded) {
        setStatus("unauthorized");
        return;
      }
      scheduleReconnect();
    };
    ws.onerror = () => {
      // onclose follows; reconnecting happens there.
    };
  }

  return {
    start() {
      if (status !== "idle" && status !== "stopped" && status !== "unauthorized") return;
      attempt = 0;
      status = "idle";
      void connect();
    },
    stop() {
      generation++;
      setStatus("stopped");
      clearTimers();
      const ws = socket;
      socket = null;
      ws?.close(1000, "client stopped");
    },
    get status() {
      return status;
    },
    on(type, handler) {
      const set = handlers.get(type) ?? new Set();
      handlers.set(type, set);
      set.add(handler as (event: LiveEvent) => void);
      return () => set.delete(handler as (event: LiveEvent) => void);
    },
  };
}
