/**
 * The post-call pipeline. `status-update` moves a call_logs row forward; the
 * `end-of-call-report` completes it in ONE transaction: redaction → sentiment → booking
 * detection → contact/lead → score → value → usage, plus the hot-lead job enqueued in that same
 * transaction. The first report wins; redelivered or late messages change nothing.
 */
import type { Clock } from "../../lib/clock";
import type { Database, Db } from "../../db/database";
import { vapiTools } from "@voxanne/contracts";
import type { JobQueue } from "../../lib/job-queue";
import { HOT_LEAD_ALERT_JOB } from "../messages/hot-lead-alert";
import { toE164 } from "../../lib/phone";
import { isActiveStatus } from "../booking/statuses";
import { orgIdOfIdentity } from "../clinic/queries";
import type { VapiIdentity } from "../clinic/types";
import { DEFAULT_SERVICE_KEYWORD } from "../services/default-service";
import type { Logger } from "../../logger";
import { callSignals, callValue, matchServices, nextLeadStatus, scoreLead, wantsHotLeadAlert, type LeadScore } from "./lead-scoring";
import {
  advanceCallStatus,
  completeCallLogs,
  loadReportContexts,
  lockCalls,
  meterUsageBatch,
  type ReportContext,
  type ReportWrite,
  type UsageDelta,
} from "./queries";
import { maskSensitiveArguments, redactDeep, redactText, type RedactionCounts } from "./redaction";
import { callerUtterances, toolCallsOf, transcriptMessages, type CallTurn, type EndOfCallReport, type StatusUpdate } from "./call-report";
import { analyzeSentiment, type SentimentResult } from "./sentiment";

export type PipelineDeps = { db: Database; logger: Logger; clock: Clock; jobs?: JobQueue };

/** Whose call: an org already resolved, or the webhook's trusted identity (assistant / number). */
export type CallTarget = { orgId: string } | { identity: VapiIdentity };

/**
 * One transaction scoped to the call's org. With an identity, the org is resolved inside the same
 * transaction, saving a round trip per webhook.
 */
async function inOrg<T>(deps: PipelineDeps, target: CallTarget, fn: (db: Db, orgId: string) => Promise<T>, unknown: T): Promise<T> {
  if ("orgId" in target) return deps.db.asService(target.orgId, (db) => fn(db, target.orgId));
  return deps.db.asSystem(async (db) => {
    const orgId = await orgIdOfIdentity(db, target.identity);
    return orgId ? fn(db, orgId) : unknown;
  });
}

export type StatusUpdateResult = { outcome: "applied" | "unchanged" | "ignored"; callLogId?: string; reason?: string };

const TRACKED_STATUSES = new Set(["scheduled", "queued", "ringing", "in-progress", "forwarding", "ended"]);

export async function applyStatusUpdate(deps: PipelineDeps, target: CallTarget, update: StatusUpdate): Promise<StatusUpdateResult> {
  if (!update.vapiCallId) return { outcome: "ignored", reason: "no call id" };
  if (!TRACKED_STATUSES.has(update.status)) return { outcome: "ignored", reason: `status ${update.status || "(none)"} is not tracked` };
  const now = deps.clock.now();
  const at = update.at ?? now;
  const customer = toE164(update.customerNumber);
  const unknownClinic = { outcome: "ignored", reason: "unknown clinic (no agent or phone number matches)" } as const;
  return inOrg<StatusUpdateResult>(
    deps,
    target,
    async (db, orgId) => {
      const row = await advanceCallStatus(db, {
        orgId,
        vapiCallId: update.vapiCallId!,
        direction: update.direction,
        status: update.status,
        fromNumber: update.direction === "outbound" ? update.clinicNumber : update.customerNumber,
        toNumber: update.direction === "outbound" ? update.customerNumber : update.clinicNumber,
        customerNumber: customer,
        at,
        startedAt: update.startedAt ?? at,
        endedReason: update.status === "ended" ? update.endedReason : null,
        transferTo: update.status === "forwarding" ? (update.destination?.to ?? null) : null,
        transferReason: update.status === "forwarding" ? (update.destination?.reason ?? null) : null,
      });
      return row ? { outcome: "applied", callLogId: row.id } : { outcome: "unchanged" };
    },
    unknownClinic,
  );
}

export type ReportResult =
  | { outcome: "completed"; callLogId: string; leadScore: number; booked: boolean; hotLeadAlert: boolean; redactions: RedactionCounts }
  | { outcome: "duplicate"; callLogId: string }
  | { outcome: "ignored"; reason: string };

const { bookClinicAppointment, rescheduleAppointment, cancelAppointment, transferCall: transferTool } = vapiTools;
const BOOKING_TOOLS = new Set<string>([bookClinicAppointment.name, rescheduleAppointment.name]);
const BOOKED_OUTCOMES = new Set(["booked", "already_booked", "rescheduled"]);

/**
 * What happened on the call: from the appointments and the outcomes our own tools recorded in
 * tool_invocations (never from the words they spoke), plus what Vapi reports about transfers.
 */
export function detectOutcome(
  report: Pick<EndOfCallReport, "turns" | "destination" | "endedReason" | "endedAt">,
  ctx: Pick<ReportContext, "appointments" | "tools">,
) {
  const calls = toolCallsOf(report.turns);
  const activeAppointments = ctx.appointments.filter((a) => isActiveStatus(a.status));
  const bookedByTool = ctx.tools.some((t) => BOOKING_TOOLS.has(t.tool) && t.outcome !== null && BOOKED_OUTCOMES.has(t.outcome));
  const booked = activeAppointments.length > 0 || bookedByTool;
  const cancelled = ctx.tools.some((t) => t.tool === cancelAppointment.name && t.outcome === "cancelled");

  const transferCall = calls.find((c) => c.name === transferTool.name);
  const transferredByTool = ctx.tools.some((t) => t.tool === transferTool.name && t.outcome === "transfer");
  const forwarded = report.endedReason === "assistant-forwarded-call";
  const transfer =
    report.destination || forwarded || transferredByTool
      ? {
          to: report.destination?.to ?? null,
          at: transferCall?.at ?? report.endedAt,
          reason:
            report.destination?.reason ??
            (typeof transferCall?.args.reason === "string" ? transferCall.args.reason : null) ??
            "Caller transferred to the clinic",
        }
      : null;

  // Service words in tool arguments count as interest too ("service": "nose job").
  const toolServiceWords = calls.map((c) => (typeof c.args.service === "string" ? c.args.service : "")).filter(Boolean);
  const patientName = calls.map((c) => (BOOKING_TOOLS.has(c.name) && typeof c.args.name === "string" ? c.args.name.trim() : "")).find(Boolean) ?? null;

  return { booked, cancelled, activeAppointments, transfer, toolServiceWords, patientName, emergencyByTool: ctx.tools.some((t) => t.emergency) };
}

const SELF_INTRODUCTION = /\b(?:my name is|my name's|this is|i'm|i am)\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\b/;
const NOT_A_NAME = /^(Calling|Looking|Interested|Just|Not|So|Really|Here|Wondering|Trying|Sorry|Fine|Good|Okay)\b/;

/** "My name is Olivia Bennett" → "Olivia Bennett" (the caller's own words; tool arguments win). */
export function nameFromUtterances(utterances: string[]): string | null {
  for (const u of utterances) {
    const m = SELF_INTRODUCTION.exec(u);
    if (m && !NOT_A_NAME.test(m[1]!)) return m[1]!;
  }
  return null;
}

function recordingStatusOf(report: EndOfCallReport): "completed" | "processing" | "failed" {
  if (report.recordingUrl || report.stereoRecordingUrl) return "completed";
  if (report.recordingInProgress) return "processing";
  return "failed";
}

/** A report parsed and redacted, ready to store: the CPU part, done outside any transaction. */
export type PreparedReport = {
  vapiCallId: string;
  report: EndOfCallReport;
  safeReport: EndOfCallReport;
  transcript: string | null;
  summary: string | null;
  messages: ReturnType<typeof transcriptMessages>;
  utterances: string[];
  sentiment: SentimentResult;
  customerPhone: string | null;
  redactions: RedactionCounts;
  now: Date;
};

/** Every turn with what the caller or a tool could have said redacted. */
function redactTurns(turns: CallTurn[], counts: RedactionCounts): CallTurn[] {
  return turns.map((t): CallTurn => {
    if (t.kind === "speech") return { ...t, text: redactText(t.text, counts) };
    if (t.kind === "tool_call") return { ...t, args: redactDeep(maskSensitiveArguments(t.args), counts) };
    return { ...t, result: redactText(t.result, counts) };
  });
}

export function prepareReport(report: EndOfCallReport, now: Date): PreparedReport | null {
  if (!report.vapiCallId) return null;
  // Redact first: nothing below — storage, scoring, logging — ever sees the raw text.
  const redactions: RedactionCounts = { card: 0, ssn: 0, dob: 0 };
  const transcript = report.transcript ? redactText(report.transcript, redactions) : null;
  const summary = report.summary ? redactText(report.summary, redactions) : null;
  const turns = redactTurns(report.turns, redactions);
  const safeReport: EndOfCallReport = { ...report, transcript, summary, turns, structuredData: redactDeep(report.structuredData) };
  const messages = transcriptMessages(turns);
  const utterances = callerUtterances(messages, transcript);
  const sentiment = analyzeSentiment({ structuredData: safeReport.structuredData, callerUtterances: utterances });
  return {
    vapiCallId: report.vapiCallId,
    report,
    safeReport,
    transcript,
    summary,
    messages,
    utterances,
    sentiment,
    customerPhone: toE164(report.customerNumber),
    redactions,
    now,
  };
}

/** What one report will write, decided from what it says and what the database knows (no I/O). */
type ReportPlan =
  | { kind: "answered"; result: ReportResult }
  | { kind: "write"; write: ReportWrite; usage: UsageDelta; leadScore: number; booked: boolean; hotLeadAlert: boolean };

function planReport(orgId: string, p: PreparedReport, ctx: ReportContext | null): ReportPlan {
  const { vapiCallId, report, safeReport, transcript, summary, messages, utterances, sentiment, customerPhone, now } = p;
  if (!ctx) return { kind: "answered", result: { outcome: "ignored", reason: "organization not found" } };
  if (ctx.existing && ctx.existing.orgId !== orgId) return { kind: "answered", result: { outcome: "ignored", reason: "call belongs to another organization" } };
  if (ctx.existing?.reportReceivedAt) return { kind: "answered", result: { outcome: "duplicate", callLogId: ctx.existing.id } };

  const outcome = detectOutcome(safeReport, ctx);
  const signals = callSignals(utterances, outcome.emergencyByTool);
  const interests = matchServices([...utterances, ...outcome.toolServiceWords], ctx.services);
  const cancelledWithoutRebooking = outcome.cancelled && !outcome.booked;
  const lead: LeadScore = scoreLead({
    signals,
    interests,
    booked: outcome.booked,
    cancelledWithoutRebooking,
    durationSeconds: report.durationSeconds,
    sentiment,
    returningCaller: ctx.contact?.returning ?? false,
  });
  const value = callValue({
    booked: outcome.booked,
    emergency: signals.emergency !== null,
    cancelledWithoutRebooking,
    bookedPrices: ctx.appointments.filter((a) => isActiveStatus(a.status) && a.price !== null).map((a) => Number(a.price)),
    interests,
    consultationPrice: ctx.services.find((s) => s.name.toLowerCase() === DEFAULT_SERVICE_KEYWORD)?.price ?? 0,
  });
  const startedAt = report.startedAt ?? (ctx.existing ? new Date(ctx.existing.startedAt) : (report.endedAt ?? now));
  const endedAt = report.endedAt ?? report.timestamp ?? now;

  const leadContact = customerPhone
    ? {
        phone: customerPhone,
        name: outcome.patientName ?? nameFromUtterances(utterances) ?? report.customerName,
        leadStatus: nextLeadStatus(ctx.contact?.leadStatus ?? null, {
          booked: outcome.booked,
          cancelledWithoutRebooking,
          notInterested: signals.notInterested,
        }),
        leadScore: lead.score,
        leadTemperature: lead.temperature,
        interests: interests.map((i) => i.name),
        contactedAt: endedAt,
      }
    : null;

  const call = {
    vapiCallId,
    direction: report.direction,
    fromNumber: report.direction === "outbound" ? report.clinicNumber : report.customerNumber,
    toNumber: report.direction === "outbound" ? report.customerNumber : report.clinicNumber,
    startedAt,
    endedAt,
    durationSeconds: report.durationSeconds ?? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000)),
    transcript,
    messages,
    summary,
    recordingUrl: report.recordingUrl,
    stereoRecordingUrl: report.stereoRecordingUrl,
    recordingStatus: recordingStatusOf(report),
    transferTo: outcome.transfer?.to ?? null,
    transferTime: outcome.transfer?.at ?? null,
    transferReason: outcome.transfer?.reason ? redactText(outcome.transfer.reason).slice(0, 500) : null,
    sentimentScore: sentiment.score,
    sentimentLabel: sentiment.label,
    sentimentSource: sentiment.source,
    urgency: signals.urgency,
    isEmergency: signals.emergency !== null,
    bookingConfirmed: outcome.booked,
    leadScore: lead.score,
    leadTemperature: lead.temperature,
    serviceInterests: interests.map((i) => i.name),
    financialValue: value,
    endedReason: report.endedReason,
    cost: report.cost,
    // Without a caller number, the booked appointment's contact (the lead upsert links it otherwise).
    contactId: outcome.activeAppointments.find((a) => a.contactId)?.contactId ?? null,
    reportReceivedAt: now,
  };
  return {
    kind: "write",
    write: { orgId, call, lead: leadContact },
    usage: { orgId, at: startedAt, timezone: ctx.timezone, seconds: report.durationSeconds ?? 0, cost: report.cost ?? 0 },
    leadScore: lead.score,
    booked: outcome.booked,
    hotLeadAlert: wantsHotLeadAlert(lead, { booked: outcome.booked, emergencyAlerted: outcome.emergencyByTool }),
  };
}

/** A prepared report and the org it belongs to. */
export type OrgReport = { orgId: string; prepared: PreparedReport };

/**
 * Splits reports into rounds in which no two share a call or an (org, caller): a round is read
 * and written with one statement each, and a repeat (a redelivery, or the same caller twice)
 * must see what the round before it wrote.
 */
function rounds(reports: OrgReport[]): number[][] {
  const result: { indexes: number[]; keys: Set<string> }[] = [];
  reports.forEach((r, i) => {
    const keys = [`call|${r.prepared.vapiCallId}`, ...(r.prepared.customerPhone ? [`caller|${r.orgId}|${r.prepared.customerPhone}`] : [])];
    let round = result.find((x) => keys.every((k) => !x.keys.has(k)));
    if (!round) {
      round = { indexes: [], keys: new Set() };
      result.push(round);
    }
    round.indexes.push(i);
    for (const k of keys) round.keys.add(k);
  });
  return result.map((x) => x.indexes);
}

/**
 * Stores prepared reports inside the caller's transaction, each scoped to its own org: everything
 * the pipeline writes for each, or nothing for one whose call already has its report. One read
 * and one write statement per round (see `rounds`), then the usage of all of them, then their
 * hot-lead jobs. Results are in the order of `reports`.
 */
export async function applyPreparedReports(
  db: Db,
  reports: OrgReport[],
  deps: Pick<PipelineDeps, "jobs" | "logger">,
  /** The caller already holds every call's lock (the batcher takes them all in one statement). */
  callsLocked = false,
): Promise<ReportResult[]> {
  if (!callsLocked)
    await lockCalls(
      db,
      reports.map((r) => r.prepared.vapiCallId),
    );
  const results: ReportResult[] = new Array(reports.length);
  const usage: UsageDelta[] = [];
  const alerts: { orgId: string; callLogId: string }[] = [];
  for (const round of rounds(reports)) {
    const contexts = await loadReportContexts(
      db,
      round.map((i) => ({ orgId: reports[i]!.orgId, vapiCallId: reports[i]!.prepared.vapiCallId, phone: reports[i]!.prepared.customerPhone })),
    );
    const plans = round.map((i, n) => planReport(reports[i]!.orgId, reports[i]!.prepared, contexts[n]!));
    const writes = plans.flatMap((plan) => (plan.kind === "write" ? [plan.write] : []));
    const stored = await completeCallLogs(db, writes);
    round.forEach((i, n) => {
      const plan = plans[n]!;
      if (plan.kind === "answered") {
        results[i] = plan.result;
        return;
      }
      const callLogId = stored.get(plan.write.call.vapiCallId);
      if (!callLogId) {
        results[i] = { outcome: "ignored", reason: "call belongs to another organization" };
        return;
      }
      usage.push(plan.usage);
      if (plan.hotLeadAlert) alerts.push({ orgId: plan.write.orgId, callLogId });
      results[i] = {
        outcome: "completed",
        callLogId,
        leadScore: plan.leadScore,
        booked: plan.booked,
        hotLeadAlert: plan.hotLeadAlert,
        redactions: reports[i]!.prepared.redactions,
      };
    });
  }
  // The usage and the alert jobs are sent together (one round trip, db/database.ts).
  const { jobs } = deps;
  if (!jobs) for (const alert of alerts) deps.logger.warn({ callLogId: alert.callLogId }, "hot lead, but no job runner in this process: alert not queued");
  await Promise.all([
    meterUsageBatch(db, usage),
    ...(jobs ? alerts.map((alert) => jobs.send(HOT_LEAD_ALERT_JOB, alert, { db, singletonKey: `hot-lead:${alert.callLogId}` })) : []),
  ]);
  return results;
}

export function logReportResult(logger: Logger, vapiCallId: string, result: ReportResult): void {
  if (result.outcome === "completed") {
    logger.info(
      {
        vapiCallId,
        callLogId: result.callLogId,
        leadScore: result.leadScore,
        booked: result.booked,
        hotLeadAlert: result.hotLeadAlert,
        redactions: result.redactions,
      },
      "end-of-call report processed",
    );
  } else {
    logger.info({ vapiCallId, outcome: result.outcome }, "end-of-call report not applied");
  }
}

const UNKNOWN_CLINIC = { outcome: "ignored", reason: "unknown clinic (no agent or phone number matches)" } as const;

/** One report in its own transaction (tests, the simulator's seed, scripts). The webhook batches: see batcher.ts. */
export async function ingestEndOfCallReport(deps: PipelineDeps, target: CallTarget, report: EndOfCallReport): Promise<ReportResult> {
  const prepared = prepareReport(report, deps.clock.now());
  if (!prepared) return { outcome: "ignored", reason: "no call id" };
  const result = await inOrg<ReportResult>(
    deps,
    target,
    async (db, orgId) => (await applyPreparedReports(db, [{ orgId, prepared }], deps))[0]!,
    UNKNOWN_CLINIC,
  );
  logReportResult(deps.logger, prepared.vapiCallId, result);
  return result;
}
