import { resolveClinic } from "../clinic/queries";
import type { EndOfCallReport } from "./call-report";
import { meterUsageBatch, type UsageDelta } from "./queries";
import {
  applyPreparedReport,
  ingestEndOfCallReport,
  logReportResult,
  prepareReport,
  type CallTarget,
  type PipelineDeps,
  type PreparedReport,
  type ReportResult,
} from "./service";

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
 * arriving together are stored in one transaction, each inside a savepoint so a bad one rolls back
 * alone; each caller gets its answer only after the commit. If the batch itself fails (e.g. a
 * deadlock with another batch), its reports are retried one transaction each.
 */
export class ReportBatcher {
  private queue: Item[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: PipelineDeps,
    private readonly options: { maxBatch: number; maxWaitMs: number } = { maxBatch: 8, maxWaitMs: 3 },
  ) {}

  submit(target: CallTarget, report: EndOfCallReport): Promise<ReportResult> {
    if (this.closed) return Promise.reject(new BatcherClosed());
    const prepared = prepareReport(report, this.deps.clock.now());
    if (!prepared) return Promise.resolve({ outcome: "ignored", reason: "no call id" });
    return new Promise((resolve, reject) => {
      this.queue.push({ target, report, prepared, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (this.queue.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    if (batch.length > 0) {
      const run = this.run(batch).finally(() => this.running.delete(run));
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
    const results: (ReportResult | { error: unknown })[] = [];
    try {
      await this.deps.db.asSystem(async (db) => {
        const usage: UsageDelta[] = [];
        // Reports of one clinic tend to arrive together: resolve each identity once per batch.
        const orgOf = new Map<string, string | null>();
        let savepoint = "savepoint report";
        for (const item of batch) {
          // The previous report's release and this one's savepoint travel together.
          await db.query(savepoint);
          savepoint = "release savepoint report; savepoint report";
          try {
            let orgId: string | null;
            if ("orgId" in item.target) {
              orgId = item.target.orgId;
            } else {
              const key = JSON.stringify(item.target.identity);
              if (!orgOf.has(key)) orgOf.set(key, (await resolveClinic(db, item.target.identity))?.orgId ?? null);
              orgId = orgOf.get(key)!;
            }
            const before = usage.length;
            try {
              results.push(orgId ? await applyPreparedReport(db, orgId, item.prepared, this.deps, usage) : UNKNOWN_CLINIC);
            } catch (err) {
              usage.length = before;
              throw err;
            }
          } catch (error) {
            await db.query("rollback to savepoint report");
            results.push({ error });
          }
        }
        await db.query("release savepoint report");
        await meterUsageBatch(db, usage);
      });
    } catch (err) {
      this.deps.logger.warn({ err, reports: batch.length }, "end-of-call batch failed; storing its reports one by one");
      await Promise.all(batch.map((item) => this.runAlone(item)));
      return;
    }
    const retryAlone: Item[] = [];
    batch.forEach((item, i) => {
      const r = results[i]!;
      // Lost a lock race with another batch: its own transaction will get through.
      if ("error" in r && (r.error as { code?: string }).code === "40P01") retryAlone.push(item);
      else if ("error" in r) item.reject(r.error);
      else {
        logReportResult(this.deps.logger, item.prepared.vapiCallId, r);
        item.resolve(r);
      }
    });
    await Promise.all(retryAlone.map((item) => this.runAlone(item)));
  }

  private async runAlone(item: Item): Promise<void> {
    try {
      item.resolve(await ingestEndOfCallReport(this.deps, item.target, item.report));
    } catch (err) {
      item.reject(err);
    }
  }
}
