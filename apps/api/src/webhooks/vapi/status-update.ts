import { applyStatusUpdate } from "../../modules/pipeline/service";
import { registerVapiMessageHandler, type VapiMessageHandler } from "./handlers";
import { callInfo } from "./payload";

/** `status-update`: ringing → in-progress → forwarding → ended, upserted by call id; never rewinds. */
export const handleStatusUpdate: VapiMessageHandler = async (message, { deps, log }) => {
  const info = callInfo(message);
  const result = await applyStatusUpdate(
    { db: deps.db, logger: log, clock: deps.clock, jobs: deps.jobs },
    { identity: info },
    message as Record<string, unknown>,
  );
  log.debug({ vapiCallId: info.callId, status: (message as { status?: unknown }).status, outcome: result.outcome, reason: result.reason }, "status-update");
  return {};
};

registerVapiMessageHandler("status-update", handleStatusUpdate);
