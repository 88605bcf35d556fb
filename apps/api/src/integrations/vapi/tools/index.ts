/**
 * Every tool the assistant can call, in one list. createApp answers exactly these (a test may pass
 * its own set); the definitions they publish to Vapi live in packages/contracts/src/vapi-tools.ts.
 */
import { bookClinicAppointmentTool, cancelAppointmentTool, checkAvailabilityTool, rescheduleAppointmentTool } from "./booking";
import { lookupCallerTool } from "./caller";
import { searchKnowledgeBaseTool } from "./knowledge";
import { getServicePriceTool } from "./pricing";
import { transferCallTool } from "./transfer";
import type { VapiTool } from "./types";

export const builtInTools: readonly VapiTool[] = [
  checkAvailabilityTool,
  bookClinicAppointmentTool,
  rescheduleAppointmentTool,
  cancelAppointmentTool,
  lookupCallerTool,
  getServicePriceTool,
  searchKnowledgeBaseTool,
  transferCallTool,
];
