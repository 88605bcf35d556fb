import { Readable } from "node:stream";
import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import { DEMO_RECORDING_PATH, demoRecording } from "../../demo/recordings";
import type { AppDeps } from "../../deps";
import { verifyLink } from "../../lib/signed-links";
import { vapiControlSender } from "../../integrations/vapi/control";
import { takeOverCall } from "../../modules/call-control/service";
import { exportTranscript, recordingOfCall, SHARED_RECORDING_PATH, sendFollowUp, shareRecording } from "../../modules/calls/actions";
import { callDetail, callsPage } from "../../modules/calls/service";
import { exportCallsCsv } from "../../modules/contacts/export";
import { HttpError } from "../errors";
import { mount } from "../route";

/**
 * /api/calls-dashboard: the list and detail under the user's RLS, and the drawer's actions
 * (transcript export, share link, follow-up SMS), each audited in its own transaction as the
 * service role for the member's org. GET /api/recordings/shared/:token plays a shared recording
 * without a session while its signed link is valid.
 */
export function createCallsRouter(deps: Pick<AppDeps, "db" | "clock" | "config" | "jobs" | "logger">): Router {
  const router = Router();
  const controlSender = vapiControlSender();
  const actor = (auth: { orgId: string; userId: string }) => ({ orgId: auth.orgId, userId: auth.userId });
  mount(router, apiRoutes.calls.list, ({ auth, query }) => deps.db.asUser(auth.claims, (db) => callsPage(db, auth.orgId, query)));
  mount(router, apiRoutes.calls.detail, ({ auth, params }) => deps.db.asUser(auth.claims, (db) => callDetail(db, auth.orgId, params.callId!)));
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

  router.get(`${SHARED_RECORDING_PATH}/:token`, async (req, res) => {
    const check = verifyLink(deps.config.jwtSecret, String(req.params.token), deps.clock.now());
    if (!check.ok) {
      throw check.reason === "expired"
        ? new HttpError(410, "link_expired", "This recording link has expired. Ask the clinic for a new one.")
        : new HttpError(404, "link_invalid", "This recording link is not valid. Check that it was copied in full.");
    }
    const { orgId, callId } = check.payload;
    const source = await deps.db.asService(orgId, (db) => recordingOfCall(db, orgId, callId));
    if (!source) throw new HttpError(404, "recording_gone", "This recording is no longer available.");
    res.setHeader("cache-control", "private, no-store");
    if (source.startsWith(`${DEMO_RECORDING_PATH}/`)) {
      const audio = demoRecording(source.slice(DEMO_RECORDING_PATH.length + 1));
      if (!audio) throw new HttpError(404, "recording_gone", "This recording is no longer available.");
      res.setHeader("content-type", "audio/wav");
      res.send(audio);
      return;
    }
    // A recording held by Vapi: streamed through this API, so the listener never needs Vapi's link.
    const upstream = await fetch(source, { signal: AbortSignal.timeout(15_000) });
    if (!upstream.ok || !upstream.body)
      throw new HttpError(502, "recording_unavailable", "The recording could not be fetched right now. Try again in a minute.");
    res.setHeader("content-type", upstream.headers.get("content-type") ?? "audio/wav");
    Readable.fromWeb(upstream.body as import("node:stream/web").ReadableStream).pipe(res);
  });
  return router;
}
