/**
 * `npm run bench`: runs every benchmark in bench/*.bench.ts against a private embedded
 * PostgreSQL and prints one table. Timings are reported next to a baseline measured in the same
 * run (e.g. handler time vs. the bare SQL it executes), because absolute numbers depend on the machine.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startBenchEnv, type BenchRow, type Benchmark } from "./lib";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

async function main() {
  const files = readdirSync(here)
    .filter((f) => f.endsWith(".bench.ts"))
    .sort();
  const benches: Benchmark[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: Benchmark };
    if (only.length === 0 || only.some((o) => mod.default.name.includes(o))) benches.push(mod.default);
  }
  const env = await startBenchEnv();
  const rows: BenchRow[] = [];
  try {
    for (const b of benches) {
      process.stderr.write(`running ${b.name}…\n`);
      rows.push(...(await b.run(env)));
    }
  } finally {
    await env.stop();
  }
  const table = rows.map((r) => ({
    bench: r.bench,
    metric: r.metric,
    value: typeof r.value === "number" ? `${r.value}${r.unit ? ` ${r.unit}` : ""}` : r.value,
    baseline: r.baseline ?? "",
    target: r.target ?? "",
  }));
  const cols = ["bench", "metric", "value", "baseline", "target"] as const;
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...table.map((t) => String(t[c]).length))]));
  const line = (t: Record<string, string>) => cols.map((c) => String(t[c]).padEnd(width[c]!)).join(" | ");
  process.stdout.write(`${line(Object.fromEntries(cols.map((c) => [c, c])))}\n${cols.map((c) => "-".repeat(width[c]!)).join("-|-")}\n`);
  for (const t of table) process.stdout.write(`${line(t)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
