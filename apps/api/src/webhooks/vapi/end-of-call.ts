import { ingestEndOfCallReport } from "../../modules/pipeline/service";
import { registerVapiMessageHandler, type VapiMessageHandler } from "./handlers";
import { callInfo } from "./payload";

/**
 * `end-of-call-report`: the post-call pipeline, in one transaction. Answers 200 `{}` once stored
 * (or recognised as a redelivery); a database failure throws → 500, so a Vapi backoffPlan retries.
 */
export const handleEndOfCallReport: VapiMessageHandler = async (message, { deps, log }) => {
  await ingestEndOfCallReport(
    { db: deps.db, logger: log, clock: deps.clock, jobs: deps.jobs },
    { identity: callInfo(message) },
    message as Record<string, unknown>,
  );
  return {};
};

registerVapiMessageHandler("end-of-call-report", handleEndOfCallReport);
