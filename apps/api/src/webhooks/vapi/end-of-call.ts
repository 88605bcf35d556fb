import { reportBatcherFor } from "../../modules/pipeline/batcher";
import { registerVapiMessageHandler, type VapiMessageHandler } from "./handlers";
import { callInfo } from "./payload";

/**
 * `end-of-call-report`: the post-call pipeline. Reports arriving together share one transaction
 * (group commit, see batcher.ts); the answer is 200 `{}` once stored (or recognised as a
 * redelivery). A database failure throws → 500, so a Vapi backoffPlan retries.
 */
export const handleEndOfCallReport: VapiMessageHandler = async (message, { deps }) => {
  await reportBatcherFor(deps).submit({ identity: callInfo(message) }, message as Record<string, unknown>);
  return {};
};

registerVapiMessageHandler("end-of-call-report", handleEndOfCallReport);
