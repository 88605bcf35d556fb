/**
 * Every operator command, in one list (one file per command). `npm run voxanne -- --help` lists
 * them in this order; adding a command is adding its file and a line here.
 */
import type { CliCommand } from "../types";
import { command as fixOrgMembership } from "./fix-org-membership";
import { command as migrate } from "./migrate";
import { command as migrateExistingTools } from "./migrate-existing-tools";
import { command as nuclearVapiCleanup } from "./nuclear-vapi-cleanup";
import { command as releaseNumber } from "./release-number";
import { command as rotateEncryptionKey } from "./rotate-encryption-key";
import { command as seedDemo } from "./seed-demo";
import { command as setOperator } from "./set-operator";
import { command as verifyAgentAccess } from "./verify-agent-access";
import { command as verifyAppointmentDb } from "./verify-appointment-db";
import { command as verifyRls } from "./verify-rls";

export const cliCommands: readonly CliCommand[] = [
  migrate,
  seedDemo,
  verifyRls,
  migrateExistingTools,
  nuclearVapiCleanup,
  verifyAgentAccess,
  releaseNumber,
  fixOrgMembership,
  verifyAppointmentDb,
  rotateEncryptionKey,
  setOperator,
];
