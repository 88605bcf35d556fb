import { agentSyncJob } from "./agent-sync";
import { appointmentReminderJob, appointmentTextsJob } from "./appointment-texts";
import { callerCallbackJob } from "./caller-callback";
import { callerIdCleanupJob } from "./caller-id-cleanup";
import { smsDeliverJob } from "./clinic-sms";
import { dailySummaryJob } from "./daily-summary";
import { emergencyAlertJob } from "./emergency-alert";
import { googleCalendarSyncJob, googleReconnectAlertJob, googleTokenCheckJob } from "./google-calendar";
import { hotLeadAlertJob } from "./hot-lead-alert";
import { knowledgeIndexJob } from "./knowledge-index";
import { patientEmailJob } from "./patient-email";
import { patientSmsJob } from "./patient-sms";
import type { JobDefinition } from "./runner";

/**
 * Every job of the product. server.ts starts one runner with all of them; add new jobs here
 * (a definition from `defineJob` in its feature's folder or in jobs/).
 */
export const productJobs: JobDefinition<any>[] = [
  hotLeadAlertJob,
  emergencyAlertJob,
  callerCallbackJob,
  agentSyncJob,
  callerIdCleanupJob,
  dailySummaryJob,
  knowledgeIndexJob,
  smsDeliverJob,
  appointmentTextsJob,
  appointmentReminderJob,
  googleCalendarSyncJob,
  googleTokenCheckJob,
  googleReconnectAlertJob,
  patientSmsJob,
  patientEmailJob,
];
