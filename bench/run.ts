/**
 * The benchmark (`npm run bench`): cost per account of planning synthetic residential portfolios
 * (bench/portfolio.ts, 24 months of history each) on one core, several ways (measurements in
 * bench/measure.ts):
 *
 *   (a) `createScheduler(policy).dueActionsOn` over normalised accounts in memory (planning only);
 *   (a′) `dueActions` over the snapshots (`--measure a-snap`): checking each account, then planning;
 *   (b) a naive vendor wiring of the same policy without this library, from the raw snapshots:
 *       luxon, rrule and json-rules-engine per account (bench/naive-vendor.ts), on a sample;
 *   (b′) the same json-rules-engine rules over this library's normalised accounts
 *       (bench/naive-jre.ts, `--measure b-norm`), on a sample: json-rules-engine without luxon and rrule;
 *   (c) a hand-written hard-coded version (bench/hand-written.ts), the practical limit;
 *   (a)/(c) paired (`--measure a-c`): both in one process on the same batches, alternately, for
 *       a ratio the machine's drift between processes does not move;
 *   (d) end to end `plan()` streaming from SQLite (every account gathered from its rows and
 *       checked: the rows are the one truth), and from PostgreSQL when PD_POSTGRES_URL is set.
 *
 * Each measurement runs in its own child process, pinned to CPU 0 with taskset (`--cores all`
 * to run unpinned), which reports its peak RSS
 * (`process.resourceUsage().maxRSS`). Ledger files are written first, untimed, and kept in
 * $TMPDIR/pd-bench for later runs (delete it to rebuild).
 *
 *   npx tsx bench/run.ts                      10k and 100k
 *   npx tsx bench/run.ts --full               10k, 100k and 1M
 *   npx tsx bench/run.ts --sizes 1m --measure a,c,sqlite
 *   npx tsx bench/run.ts --repeat 3           each measurement 3 times, median kept
 *   npm run build && npx tsx bench/run.ts --sizes 1m --measure sqlite-dist   (plain node, dist/;
 *                                              --dist <dir> for a build elsewhere)
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { child, sqlitePath, type Result } from "./measure.js";
import { AS_OF } from "./portfolio.js";

const PG_CAP = 100_000;

type Kind = "a" | "a-snap" | "b" | "b-norm" | "c" | "a-c" | "sqlite" | "sqlite-dist" | "pg";
const LABEL: Record<Kind, string> = {
  a: "(a) dueActionsOn, in memory",
  "a-snap": "(a′) dueActions on snapshots (checks each), in memory",
  b: "(b) naive: luxon + rrule + json-rules-engine, raw snapshots",
  "b-norm": "(b′) json-rules-engine over this library's normalised accounts",
  c: "(c) hand-written TypeScript",
  "a-c": "(a) and (c) paired, one process, alternated",
  sqlite: "(d) plan() from SQLite (rows)",
  "sqlite-dist": "(d) plan() from SQLite, dist/",
  pg: "(d) plan() from PostgreSQL",
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`bad size ${text}`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === "m" ? 1e6 : m[2]?.toLowerCase() === "k" ? 1e3 : 1));
}

// ---------------------------------------------------------------- parent: run the children, print the table

/** A measurement under plain node from the built package (no tsx loader): plan-dist.mjs. */
function distArgs(n: number): string[] {
  const dist = arg("--dist") ?? fileURLToPath(new URL("../dist", import.meta.url));
  if (!existsSync(join(dist, "adapters", "sqlite.js"))) throw new Error("sqlite-dist measures the built package: run npm run build first");
  return [fileURLToPath(new URL("./plan-dist.mjs", import.meta.url)), sqlitePath(n), AS_OF, dist];
}

/**
 * The targets are per core: each measurement runs pinned to CPU 0 (`taskset -c 0`, so V8's
 * helper threads share that core too) unless `--cores all` is given or taskset is missing.
 */
const PIN: string[] = arg("--cores") !== "all" && spawnSync("taskset", ["-c", "0", "true"]).status === 0 ? ["taskset", "-c", "0"] : [];

function spawnChild(only: string, n: number): Result | undefined {
  const self = fileURLToPath(import.meta.url);
  const args = only === "sqlite-dist" ? distArgs(n) : ["--import", "tsx", self, "--only", only, "--size", String(n)];
  const [command, ...rest] = [...PIN, process.execPath, ...args];
  const r = spawnSync(command!, rest, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`child --only ${only} --size ${n} failed (exit ${r.status ?? r.signal})`);
  const line = r.stdout.trim().split("\n").at(-1)!;
  const parsed = JSON.parse(line) as Partial<Result>;
  if (only === "sqlite-dist") parsed.note = "as (d) from SQLite, but the built package under plain node (no tsx loader)";
  return parsed.accounts === undefined ? undefined : (parsed as Result);
}

/**
 * Runs a measurement `repeat` times (each in its own process) and keeps the run of median time;
 * peak RSS is the largest of all runs. On a shared machine this damps other processes' noise.
 */
function medianRun(kind: Kind, n: number, repeat: number): Result {
  const runs: Result[] = [];
  for (let i = 0; i < repeat; i++) runs.push(spawnChild(kind, n)!);
  // The paired run is ranked by its ratio, the others by time.
  runs.sort((x, y) => (kind === "a-c" ? x.ratio! - y.ratio! : x.seconds - y.seconds));
  const median = runs[Math.floor((runs.length - 1) / 2)]!;
  const each = kind === "a-c" ? `(a)/(c) ${runs.map((r) => r.ratio!.toFixed(2)).join(", ")}` : `${runs.map((r) => r.seconds.toFixed(kind.startsWith("b") ? 1 : 2)).join(", ")} s`;
  const note = repeat > 1 ? `median of ${repeat} runs (${each}); ${median.note ?? ""}` : median.note;
  return { ...median, maxRssKB: Math.max(...runs.map((r) => r.maxRssKB)), note };
}

const num = (n: number) => Math.round(n).toLocaleString("en-US");
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w, i) => (i === 0 || i === widths.length - 1 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

async function parent(): Promise<void> {
  const sizes = arg("--sizes")?.split(",").map(parseSize) ?? (process.argv.includes("--full") ? [10_000, 100_000, 1_000_000] : [10_000, 100_000]);
  const measure = (arg("--measure")?.split(",") ?? ["a", "a-snap", "b", "b-norm", "c", "a-c", "sqlite", "pg"]) as Kind[];
  const repeat = Number(arg("--repeat") ?? 1);
  const pgUrl = process.env.PD_POSTGRES_URL;
  const results = new Map<string, Result>();
  const notes: string[] = [];
  const rows: string[][] = [["measurement", "accounts", "actions", "time (s)", "accounts/s", "µs/account", "peak RSS", "note"]];
  const cores = PIN.length > 0 ? "each pinned to CPU 0 (taskset)" : "not pinned";
  console.error(`property-dunning benchmark: node ${process.version}, asOf ${AS_OF}, sizes ${sizes.map(num).join(", ")}, one process per measurement, ${cores}`);
  for (const n of sizes) {
    for (const kind of measure) {
      if (kind === "pg") {
        if (!pgUrl) {
          if (!notes.includes("pg")) notes.push("pg");
          continue;
        }
        if (n > PG_CAP) continue;
      }
      if (kind.startsWith("sqlite") || kind === "pg") {
        console.error(`  writing ${num(n)} accounts to ${kind === "pg" ? "PostgreSQL" : "SQLite"} (untimed, reused when present) …`);
        spawnChild(kind === "pg" ? "prepare-pg" : "prepare-sqlite", n);
      }
      console.error(`  ${LABEL[kind]}, ${num(n)} accounts${repeat > 1 ? `, ${repeat} runs` : ""} …`);
      const r = medianRun(kind, n, repeat);
      results.set(`${kind}:${n}`, r);
      const rate = r.accounts / r.seconds;
      rows.push([LABEL[kind], num(r.accounts), num(r.actions), r.seconds.toFixed(kind.startsWith("b") ? 1 : 3), num(rate), ((r.seconds / r.accounts) * 1e6).toFixed(2), mb(r.maxRssKB), r.note ?? ""]);
    }
  }
  console.log(table(rows));
  if (notes.includes("pg")) console.log("\nPostgreSQL skipped: set PD_POSTGRES_URL (e.g. export PD_POSTGRES_URL=$(scripts/start-postgres.sh)).");
  if (pgUrl && measure.includes("pg") && sizes.some((n) => n > PG_CAP)) console.log(`PostgreSQL capped at ${num(PG_CAP)} accounts.`);

  // Ratios and targets (per one core).
  const rate = (k: Kind, n: number) => {
    const r = results.get(`${k}:${n}`);
    return r ? r.accounts / r.seconds : undefined;
  };
  const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
  const lines: string[][] = [["size", "target", "measured", "result"]];
  for (const n of sizes) {
    const a = rate("a", n);
    const b = rate("b", n);
    const bNorm = rate("b-norm", n);
    const c = rate("c", n);
    const s = rate("sqlite", n);
    if (a !== undefined) lines.push([num(n), "(a) ≥ 150,000 accounts/s", `${num(a)}/s`, verdict(a >= 150_000)]);
    if (a !== undefined && b !== undefined) lines.push([num(n), "(a)/(b) ≥ 100×", `${(a / b).toFixed(0)}×`, verdict(a / b >= 100)]);
    if (a !== undefined && bNorm !== undefined) lines.push([num(n), "(a)/(b′), informational: same rules, no luxon/rrule", `${(a / bNorm).toFixed(0)}×`, "—"]);
    const paired = results.get(`a-c:${n}`)?.ratio;
    if (paired !== undefined) lines.push([num(n), "(a) within 2× of (c): (a)/(c) ≥ 0.50, paired", `${paired.toFixed(2)} ((c) is ${(1 / paired).toFixed(2)}× faster)`, verdict(paired >= 0.5)]);
    if (a !== undefined && c !== undefined)
      lines.push([num(n), `(a) within 2× of (c): (a)/(c) ≥ 0.50${paired !== undefined ? ", separate processes, informational" : ""}`, `${(a / c).toFixed(2)} ((c) is ${(c / a).toFixed(2)}× faster)`, paired !== undefined ? "—" : verdict(a / c >= 0.5)]);
    const aSnap = rate("a-snap", n);
    if (aSnap !== undefined) lines.push([num(n), "(a′) dueActions incl. checking, informational", `${num(aSnap)}/s`, "—"]);
    if (aSnap !== undefined && b !== undefined) lines.push([num(n), "(a′)/(b), informational: both from snapshots", `${(aSnap / b).toFixed(0)}×`, "—"]);
    if (s !== undefined) lines.push([num(n), "SQLite end to end ≥ 50,000 accounts/s", `${num(s)}/s`, verdict(s >= 50_000)]);
    const sd = rate("sqlite-dist", n);
    if (sd !== undefined) lines.push([num(n), "SQLite end to end (dist/) ≥ 50,000 accounts/s", `${num(sd)}/s`, verdict(sd >= 50_000)]);
    for (const kind of ["sqlite", "sqlite-dist"] as const) {
      const sq = results.get(`${kind}:${n}`);
      const how = kind === "sqlite" ? "under tsx" : "dist/, plain node";
      if (sq && n >= 1_000_000) lines.push([num(n), `1M from SQLite (${how}): peak RSS < 150 MB`, mb(sq.maxRssKB), verdict(sq.maxRssKB < 150 * 1024)]);
    }
  }
  if (!sizes.some((n) => n >= 1_000_000) && (measure.includes("sqlite") || measure.includes("sqlite-dist"))) lines.push(["1,000,000", "1M from SQLite: peak RSS < 150 MB", "not run (use --full)", "—"]);
  console.log(`\n${table(lines)}`);
}

const only = arg("--only");
if (only !== undefined) await child(only, parseSize(arg("--size") ?? "10000"));
else await parent();
