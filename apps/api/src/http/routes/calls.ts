import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { apiRoutes } from "@voxanne/contracts";
import { type Request, type Response, Router } from "express";
import { DEMO_RECORDING_PATH, demoRecording } from "../../demo/recordings";
import type { AppDeps } from "../../deps";
import { type SignedLinkPayload, verifyLink } from "../../lib/signed-links";
import { vapiControlSender } from "../../integrations/vapi/control";
import { takeOverCall } from "../../modules/call-control/service";
import { exportTranscript, SHARED_RECORDING_PATH, sendFollowUp, shareRecording } from "../../modules/calls/actions";
import { PLAY_RECORDING_PATH, recordingOfCall } from "../../modules/calls/recordings";
import { callDetail, callsPage } from "../../modules/calls/service";
import { exportCallsCsv } from "../../modules/contacts/export";
import { requireAuth } from "../auth-middleware";
import { HttpError } from "../errors";
import { mount } from "../route";

/**
 * /api/calls-dashboard: the list and detail under the user's RLS, and the drawer's actions
 * (transcript export, share link, follow-up SMS), each audited in its own transaction as the
 * service role for the member's org. GET /api/recordings/shared/:token plays a shared recording
 * without a session while its signed link is valid; GET /api/recordings/play/:token is the
 * drawer's player (a member of the same clinic, for minutes).
 */
export function createCallsRouter(deps: Pick<AppDeps, "db" | "clock" | "config" | "jobs" | "logger">): Router {
  const router = Router();
  const controlSender = vapiControlSender();
  const actor = (auth: { orgId: string; userId: string }) => ({ orgId: auth.orgId, userId: auth.userId });
  mount(router, apiRoutes.calls.list, ({ auth, query }) => deps.db.asUser(auth.claims, (db) => callsPage(db, auth.orgId, query)));
  mount(router, apiRoutes.calls.detail, ({ auth, params }) =>
    deps.db.asUser(auth.claims, (db) => callDetail(db, auth.orgId, params.callId!, { secret: deps.config.jwtSecret, now: deps.clock.now() })),
  );
  mount(router, apiRoutes.callActions.exportCalls, ({ auth, body }) =>
    deps.db.asService(auth.orgId, (db) => exportCallsCsv(db, actor(auth), deps.clock.now(), body)),
  );
  mount(router, apiRoutes.callActions.exportTranscript, ({ auth, params }) =>
    deps.db.asService(auth.orgId, (db) => exportTranscript(db, actor(auth), params.callId!)),
  );
  mount(router, apiRoutes.callActions.share, ({ auth, params, body }) =>
    deps.db.asService(auth.orgId, (db) =>
      shareRecording(
        db,
        actor(auth),
        { secret: deps.config.jwtSecret, publicUrl: deps.config.PUBLIC_API_URL, now: deps.clock.now(), jobs: deps.jobs },
        params.callId!,
        body.email,
      ),
    ),
  );
  mount(router, apiRoutes.callActions.takeOver, ({ auth, params, body }) =>
    takeOverCall({ db: deps.db, send: controlSender, log: deps.logger }, actor(auth), params.callId!, body.action),
  );
  mount(router, apiRoutes.callActions.followUp, ({ auth, params, body }) =>
    deps.db.asService(auth.orgId, (db) => sendFollowUp(db, actor(auth), deps.jobs, params.callId!, body.message)),
  );

  const refuseLink = (reason: "invalid" | "expired", expired: string): never => {
    throw reason === "expired"
      ? new HttpError(410, "link_expired", expired)
      : new HttpError(404, "link_invalid", "This recording link is not valid. Check that it was copied in full.");
  };

  // A shared link (24 h) plays without a session: it is how a recording leaves the clinic, audited when made.
  router.get(`${SHARED_RECORDING_PATH}/:token`, async (req, res) => {
    const check = verifyLink(deps.config.jwtSecret, String(req.params.token), deps.clock.now(), "recording");
    if (!check.ok) return refuseLink(check.reason, "This recording link has expired. Ask the clinic for a new one.");
    await streamRecording(deps, req, res, check.payload);
  });

  // The dashboard's player link (modules/calls/recordings.ts): minutes long, and only for a member of
  // the same clinic, so copying it out of the page is not a way to share a recording unaudited.
  router.get(`${PLAY_RECORDING_PATH}/:token`, requireAuth, async (req, res) => {
    const check = verifyLink(deps.config.jwtSecret, String(req.params.token), deps.clock.now(), "recording_play");
    if (!check.ok) return refuseLink(check.reason, "This player link has expired. Close the call and open it again.");
    if (check.payload.orgId !== req.auth!.orgId) return refuseLink("invalid", "");
    await streamRecording(deps, req, res, check.payload);
  });
  return router;
}

/** How long Vapi's storage may take to start answering before the listener is told to retry. */
const UPSTREAM_HEADERS_TIMEOUT_MS = 15_000;
/** What a player needs to seek; passed through from the storage's answer. */
const PASSED_HEADERS = ["content-type", "content-length", "content-range", "accept-ranges"] as const;

/**
 * Streams a recording through this API with `cache-control: private, no-store`, honouring a
 * single byte Range (browsers seek with one): demo audio is answered here (206 or 416), a stored
 * recording gets the listener's Range passed to its host and that answer passed back.
 */
async function streamRecording(deps: Pick<AppDeps, "db">, req: Request, res: Response, link: SignedLinkPayload): Promise<void> {
  const { orgId, callId } = link;
  const source = await deps.db.asService(orgId, (db) => recordingOfCall(db, orgId, callId, link.track));
  if (!source) throw new HttpError(404, "recording_gone", "This recording is no longer available.");
  res.setHeader("cache-control", "private, no-store");
  if (source.startsWith(`${DEMO_RECORDING_PATH}/`)) {
    const audio = demoRecording(source.slice(DEMO_RECORDING_PATH.length + 1));
    if (!audio) throw new HttpError(404, "recording_gone", "This recording is no longer available.");
    res.setHeader("content-type", "audio/wav");
    res.setHeader("accept-ranges", "bytes");
    const ranges = req.range(audio.length);
    if (ranges === -1) {
      res.status(416).setHeader("content-range", `bytes */${audio.length}`).end();
      return;
    }
    // No Range, a malformed one (-2) or several at once: the whole file, which RFC 9110 allows.
    if (ranges === undefined || ranges === -2 || ranges.length !== 1 || ranges.type !== "bytes") {
      res.send(audio);
      return;
    }
    const { start, end } = ranges[0]!;
    res.status(206).setHeader("content-range", `bytes ${start}-${end}/${audio.length}`);
    res.send(audio.subarray(start, end + 1));
    return;
  }
  // A recording held by Vapi: fetched by this API, so the listener never learns where it is stored.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), UPSTREAM_HEADERS_TIMEOUT_MS);
  res.on("close", () => abort.abort());
  let upstream: globalThis.Response;
  try {
    const range = req.get("range");
    upstream = await fetch(source, { signal: abort.signal, headers: range ? { range } : {} });
  } catch {
    throw new HttpError(502, "recording_unavailable", "The recording could not be fetched right now. Try again in a minute.");
  } finally {
    clearTimeout(timer);
  }
  if (upstream.status === 416) {
    res.status(416);
    const contentRange = upstream.headers.get("content-range");
    if (contentRange) res.setHeader("content-range", contentRange);
    res.end();
    return;
  }
  if ((upstream.status !== 200 && upstream.status !== 206) || !upstream.body) {
    await upstream.body?.cancel();
    throw new HttpError(502, "recording_unavailable", "The recording could not be fetched right now. Try again in a minute.");
  }
  res.status(upstream.status);
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) res.setHeader(name, value);
  }
  if (!upstream.headers.get("content-type")) res.setHeader("content-type", "audio/wav");
  try {
    await pipeline(Readable.fromWeb(upstream.body as import("node:stream/web").ReadableStream), res);
  } catch {
    // The listener closed the player (or seeked, which starts a new request): nothing to answer.
  }
}
