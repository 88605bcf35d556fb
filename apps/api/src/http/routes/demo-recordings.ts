import { Router } from "express";
import { DEMO_RECORDING_PATH, demoRecording } from "../../demo/recordings";
import { requireAuth } from "../auth-middleware";
import { notFound } from "../../lib/domain-error";

/**
 * GET /api/demo/recordings/:file — the simulated calls' audio (demo/recordings.ts), for signed-in
 * members. A file download, not JSON, so it is a plain route rather than a contract route.
 */
export function createDemoRecordingsRouter(): Router {
  const router = Router();
  router.get(`${DEMO_RECORDING_PATH}/:file`, requireAuth, (req, res) => {
    const audio = demoRecording(String(req.params.file));
    if (!audio) throw notFound("No demo recording with that name.");
    res.setHeader("content-type", "audio/wav");
    res.setHeader("cache-control", "private, max-age=3600");
    res.send(audio);
  });
  return router;
}
