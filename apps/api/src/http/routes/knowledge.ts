import { apiRoutes, KNOWLEDGE_MAX_UPLOAD_BYTES, KNOWLEDGE_UPLOAD_FIELD } from "@voxanne/contracts";
import { type Request, type Response, Router } from "express";
import multer from "multer";
import type { AppDeps } from "../../deps";
import { createEmbedder } from "../../integrations/embeddings/client";
import type { UploadedFile } from "../../modules/knowledge/extract";
import {
  answerQuestion,
  changeDocument,
  changeQuickAnswer,
  createQuickAnswer,
  listKnowledgeDocuments,
  listQuickAnswers,
  removeDocument,
  uploadDocument,
} from "../../modules/knowledge/service";
import { badRequest, HttpError } from "../errors";
import { mount } from "../route";

/**
 * The multipart body of an upload, in memory (at most KNOWLEDGE_MAX_UPLOAD_BYTES). Parsed inside
 * the handler, after mount() has checked the caller's role, so a refused caller's file is never read.
 */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: KNOWLEDGE_MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 },
}).single(KNOWLEDGE_UPLOAD_FIELD);

function readUpload(req: Request, res: Response): Promise<UploadedFile> {
  if (!req.is("multipart/form-data")) {
    return Promise.reject(badRequest(`Send the file as multipart/form-data in the field "${KNOWLEDGE_UPLOAD_FIELD}".`, "multipart_expected"));
  }
  return new Promise((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        if (err.code === "LIMIT_FILE_SIZE") {
          reject(
            new HttpError(
              413,
              "file_too_large",
              `The file is larger than ${KNOWLEDGE_MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files and upload them one by one.`,
            ),
          );
        } else reject(badRequest(`Upload one file in the field "${KNOWLEDGE_UPLOAD_FIELD}" (${err.message.toLowerCase()}).`, "invalid_upload"));
        return;
      }
      if (err) {
        reject(badRequest("The upload could not be read (it was cut off or malformed). Try again.", "invalid_upload"));
        return;
      }
      if (!req.file) {
        reject(badRequest(`Choose a file: send it in the multipart field "${KNOWLEDGE_UPLOAD_FIELD}".`, "file_missing"));
        return;
      }
      // Browsers send the file name as UTF-8 bytes in a latin1-decoded header value.
      const filename = Buffer.from(req.file.originalname, "latin1").toString("utf8");
      resolve({ filename, bytes: req.file.buffer });
    });
  });
}

/** /api/knowledge: the Knowledge page. Every member reads and tries questions; owners and admins change it. */
export function createKnowledgeRouter(deps: Pick<AppDeps, "db" | "config" | "jobs" | "logger">): Router {
  const router = Router();
  const embedder = createEmbedder(deps.config);
  const actor = (auth: { orgId: string; userId: string }) => ({ orgId: auth.orgId, userId: auth.userId });

  mount(router, apiRoutes.knowledge.list, async ({ auth }) => ({
    documents: await deps.db.asUser(auth.claims, (db) => listKnowledgeDocuments(db, auth.orgId)),
  }));
  mount(router, apiRoutes.knowledge.upload, async ({ auth, req, res }) => {
    const file = await readUpload(req, res);
    return deps.db.asService(auth.orgId, (db) => uploadDocument(db, { jobs: deps.jobs, log: req.log ?? deps.logger }, actor(auth), file));
  });
  mount(router, apiRoutes.knowledge.update, async ({ auth, params, body }) =>
    deps.db.asService(auth.orgId, (db) => changeDocument(db, actor(auth), params.documentId!, body)),
  );
  mount(router, apiRoutes.knowledge.remove, async ({ auth, params }) => {
    await deps.db.asService(auth.orgId, (db) => removeDocument(db, actor(auth), params.documentId!));
    return { ok: true as const };
  });
  mount(router, apiRoutes.knowledge.listQuickAnswers, async ({ auth }) => ({
    quickAnswers: await deps.db.asUser(auth.claims, (db) => listQuickAnswers(db, auth.orgId)),
  }));
  mount(router, apiRoutes.knowledge.createQuickAnswer, async ({ auth, body, req }) =>
    deps.db.asService(auth.orgId, (db) => createQuickAnswer(db, { jobs: deps.jobs, log: req.log ?? deps.logger }, actor(auth), body)),
  );
  mount(router, apiRoutes.knowledge.updateQuickAnswer, async ({ auth, params, body, req }) =>
    deps.db.asService(auth.orgId, (db) => changeQuickAnswer(db, { jobs: deps.jobs, log: req.log ?? deps.logger }, actor(auth), params.quickAnswerId!, body)),
  );
  mount(router, apiRoutes.knowledge.search, async ({ auth, query, req }) =>
    deps.db.asUser(auth.claims, (db) => answerQuestion(db, { embedder, log: req.log ?? deps.logger }, auth.orgId, query.q)),
  );
  return router;
}
