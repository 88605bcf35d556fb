import { agentSyncJob } from "./agent-sync";
import { callerCallbackJob } from "./caller-callback";
import { hotLeadAlertJob } from "./hot-lead-alert";
import { patientSmsJob } from "./patient-sms";
import type { JobDefinition } from "./runner";

/**
 * Every job of the product. server.ts starts one runner with all of them; add new jobs here
 * (a definition from `defineJob` in its feature's folder or in jobs/).
 */
export const productJobs: JobDefinition<any>[] = [hotLeadAlertJob, callerCallbackJob, agentSyncJob, patientSmsJob];
