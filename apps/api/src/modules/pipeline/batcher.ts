import { orgIdsOfIdentities } from "../clinic/queries";
import type { VapiIdentity } from "../clinic/types";
import type { EndOfCallReport } from "./call-report";
import { lockCalls } from "./queries";
import {
  applyPreparedReports,
  ingestEndOfCallReport,
  logReportResult,
  prepareReport,
  type CallTarget,
  type PipelineDeps,
  type PreparedReport,
  type ReportResult,
} from "./service";

export type BatcherOptions = {
  /** Reports stored in one transaction at most. */
  maxBatch?: number;
  /** How long the first report of a batch waits for others (ms). */
  maxWaitMs?: number;
  /**
   * Batches being stored at once. While they are, new reports queue and go together in the next
   * batch: a few large transactions cost less per report than many small ones (group commit).
   */
  maxInFlight?: number;
};

type Item = { target: CallTarget; report: EndOfCallReport; prepared: PreparedReport; resolve: (r: ReportResult) => void; reject: (e: unknown) => void };

/** Refused because the process is shutting down: another delivery (another instance) will store it. */
export class BatcherClosed extends Error {
  constructor() {
    super("the end-of-call report batcher is closed");
    this.name = "BatcherClosed";
  }
}

const UNKNOWN_CLINIC: ReportResult = { outcome: "ignored", reason: "unknown clinic (no agent or phone number matches)" };

/** Orders a batch so concurrent batches take row and advisory locks in the same order. */
function lockOrderKey(item: Item): string {
  const t = item.target;
  const who = "orgId" in t ? t.orgId : `${t.identity.assistantId ?? ""}|${t.identity.phoneNumberId ?? ""}|${t.identity.phoneNumber ?? ""}`;
  return `${who}|${item.prepared.customerPhone ?? ""}|${item.prepared.vapiCallId}`;
}

/**
 * Application-level group commit for end-of-call reports. Every report is its own durable
 * transaction otherwise, and the commit (a WAL flush) — not our code — caps throughput. Reports
 * arriving together are stored in one transaction; each caller gets its answer only after the
 * commit. At most `maxInFlight` batches run at once, so a burst of reports takes a few pool
 * connections, never all of them (tool calls need theirs), and queues into larger batches. If
 * the batch fails (a report that cannot be stored, a deadlock with another batch), its reports
 * are retried one transaction each, so a bad one fails alone.
 */
export class ReportBatcher {
  private queue: Item[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: PipelineDeps,
    private readonly options: BatcherOptions = {},
  ) {}

  private get maxBatch() {
    return this.options.maxBatch ?? 32;
  }

  submit(target: CallTarget, report: EndOfCallReport): Promise<ReportResult> {
    if (this.closed) return Promise.reject(new BatcherClosed());
    const prepared = prepareReport(report, this.deps.clock.now());
    if (!prepared) return Promise.resolve({ outcome: "ignored", reason: "no call id" });
    return new Promise((resolve, reject) => {
      this.queue.push({ target, report, prepared, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs ?? 3);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // All batch slots busy: the queue grows until one finishes, then goes as one batch.
    if (this.running.size >= (this.options.maxInFlight ?? 4)) return;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    if (batch.length > 0) {
      const run = this.run(batch).finally(() => {
        this.running.delete(run);
        if (this.queue.length > 0 && !this.closed) this.flush();
      });
      this.running.add(run);
    }
  }

  /** Stores what is queued, waits for batches in flight, and refuses new reports (app shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length > 0 || this.running.size > 0) {
      if (this.queue.length > 0) this.flush();
      await Promise.all([...this.running]);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(batch: Item[]): Promise<void> {
    if (batch.length === 1) return this.runAlone(batch[0]!);
    batch.sort((a, b) => (lockOrderKey(a) < lockOrderKey(b) ? -1 : 1));
    let results: ReportResult[] = [];
    try {
      await this.deps.db.asSystem(
        async (db) => {
          // One round trip for the whole batch (sent together, db/database.ts): every call's lock,
          // and every clinic the reports name.
          const keys = [...new Set(batch.flatMap((item) => ("identity" in item.target ? [JSON.stringify(item.target.identity)] : [])))];
          const [, orgIds] = await Promise.all([
            lockCalls(
              db,
              batch.map((item) => item.prepared.vapiCallId),
            ),
            orgIdsOfIdentities(
              db,
              keys.map((k) => JSON.parse(k) as VapiIdentity),
            ),
          ]);
          const orgOf = new Map(keys.map((k, n) => [k, orgIds[n] ?? null]));
          const orgOfItem = batch.map((item) => ("orgId" in item.target ? item.target.orgId : (orgOf.get(JSON.stringify(item.target.identity)) ?? null)));
          const known = batch.flatMap((item, i) => (orgOfItem[i] ? [{ orgId: orgOfItem[i], prepared: item.prepared }] : []));
          // Then the batch's reads and writes, a statement each (service.ts applyPreparedReports).
          const stored = await applyPreparedReports(db, known, this.deps, true);
          let next = 0;
          results = orgOfItem.map((orgId) => (orgId ? stored[next++]! : UNKNOWN_CLINIC));
        },
        { genericPlans: true },
      );
    } catch (err) {
      // No savepoint per report (a round trip each, on every report): a report that fails, or a
      // lock race lost to another batch (deadlock), sends the batch's reports through one
      // transaction each, where the bad one fails alone.
      this.deps.logger.warn({ err, reports: batch.length }, "end-of-call batch failed; storing its reports one by one");
      // One after another: a batch holds one pool connection at a time, failing or not.
      for (const item of batch) await this.runAlone(item);
      return;
    }
    batch.forEach((item, i) => {
      const r = results[i]!;
      logReportResult(this.deps.logger, item.prepared.vapiCallId, r);
      item.resolve(r);
    });
  }

  private async runAlone(item: Item): Promise<void> {
    try {
      item.resolve(await ingestEndOfCallReport(this.deps, item.target, item.report));
    } catch (err) {
      item.reject(err);
    }
  }
}
