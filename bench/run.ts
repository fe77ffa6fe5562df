/**
 * The benchmark (`npm run bench`): cost per account of planning synthetic residential portfolios
 * (bench/portfolio.ts, 24 months of history each) on one core, four ways:
 *
 *   (a) `createScheduler(policy).dueActionsOn` over normalised accounts in memory (planning only);
 *   (b) a naive vendor wiring of the same policy without this library, from the raw snapshots:
 *       luxon, rrule and json-rules-engine per account (bench/naive-vendor.ts), on a sample;
 *   (b′) the same json-rules-engine rules over this library's normalised accounts
 *       (bench/naive-jre.ts, `--measure b-norm`), on a sample: json-rules-engine without luxon and rrule;
 *   (c) a hand-written hard-coded version (bench/hand-written.ts), the practical limit;
 *   (d) end to end `plan()` streaming from SQLite, and from PostgreSQL when PD_POSTGRES_URL is set.
 *
 * Each measurement runs in its own child process, which reports its peak RSS
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
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AS_OF, batches, portfolio } from "./portfolio.js";

const BATCH = 10_000;
const SAMPLE_B = 2_000;
const PG_CAP = 100_000;
const DIR = join(tmpdir(), "pd-bench");

type Kind = "a" | "b" | "b-norm" | "c" | "sqlite" | "sqlite-dist" | "pg";
const LABEL: Record<Kind, string> = {
  a: "(a) dueActionsOn, in memory",
  b: "(b) naive: luxon + rrule + json-rules-engine, raw snapshots",
  "b-norm": "(b′) json-rules-engine over this library's normalised accounts",
  c: "(c) hand-written TypeScript",
  sqlite: "(d) plan() from SQLite",
  "sqlite-dist": "(d) plan() from SQLite, dist/",
  pg: "(d) plan() from PostgreSQL",
};

interface Result {
  accounts: number;
  actions: number;
  seconds: number;
  maxRssKB: number;
  note?: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`bad size ${text}`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === "m" ? 1e6 : m[2]?.toLowerCase() === "k" ? 1e3 : 1));
}

const now = () => process.hrtime.bigint();
const secondsSince = (t0: bigint) => Number(now() - t0) / 1e9;

async function residentialScheduler() {
  const { builtinPolicySource } = await import("../src/rules/builtins.js");
  const { parsePolicy } = await import("../src/rules/parse.js");
  const { createScheduler } = await import("../src/schedule/scheduler.js");
  return createScheduler(parsePolicy(builtinPolicySource("residential")));
}

async function normalized(batch: ReturnType<typeof batches> extends Generator<infer T> ? T : never) {
  const { normalizeAccount } = await import("../src/schedule/account.js");
  return batch.map((s) => {
    const r = normalizeAccount(s);
    if (!r.ok) throw new Error(`synthetic account ${r.accountId} invalid`);
    return r.account;
  });
}

// ---------------------------------------------------------------- children: one measurement each

async function measureA(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/civil-date.js");
  const scheduler = await residentialScheduler();
  const asOf = civilDate(AS_OF);
  for (const warm of batches(Math.min(n, 2_000), 2_000, n)) for (const a of await normalized(warm)) scheduler.dueActionsOn(a, asOf);
  let seconds = 0;
  let actions = 0;
  for (const batch of batches(n, BATCH)) {
    const accounts = await normalized(batch); // untimed
    const t0 = now();
    for (const a of accounts) actions += scheduler.dueActionsOn(a, asOf).length;
    seconds += secondsSince(t0);
  }
  const maxRssKB = process.resourceUsage().maxRSS;
  // Do (a) and (c) plan the same actions? Checked after the timing, on the first 5,000 accounts.
  const { handWrittenDue } = await import("./hand-written.js");
  let same = 0;
  let checked = 0;
  for (const batch of batches(Math.min(n, 5_000), 5_000))
    for (const a of await normalized(batch)) {
      const x = scheduler.dueActionsOn(a, asOf).map((p) => `${p.id} ${p.channels.join("+")}`).join();
      const y = handWrittenDue(a, asOf).map((p) => `${p.id} ${p.channels.join("+")}`).join();
      checked++;
      if (x === y) same++;
    }
  return { accounts: n, actions, seconds, maxRssKB, note: `batches of ${BATCH.toLocaleString("en-US")} normalised untimed; same action ids and channels as (c) on ${same}/${checked}` };
}

/** Does a naive wiring plan what the library plans? Same action ids and channels, account by account. */
async function sameAsA(pairs: Array<[import("../src/schedule/account.js").Account, () => Promise<Array<{ id: string; channels: string[] }>>]>): Promise<number> {
  const { civilDate } = await import("../src/schedule/civil-date.js");
  const scheduler = await residentialScheduler();
  const asOf = civilDate(AS_OF);
  let same = 0;
  for (const [account, naive] of pairs) {
    const x = scheduler.dueActionsOn(account, asOf).map((p) => `${p.id} ${p.channels.join("+")}`).join();
    const y = (await naive()).map((p) => `${p.id} ${p.channels.join("+")}`).join();
    if (x === y) same++;
  }
  return same;
}

function sampled(n: number, sample: number, actions: number, seconds: number, same: number): Result {
  const extrapolated = sample < n ? `timed on the first ${sample.toLocaleString("en-US")} accounts, extrapolated (time, actions); ` : "";
  return {
    accounts: n,
    actions: Math.round((actions * n) / sample),
    seconds: (seconds * n) / sample,
    maxRssKB: process.resourceUsage().maxRSS,
    note: `${extrapolated}same action ids and channels as (a) on ${same}/${sample}`,
  };
}

/** (b): the vendor wiring, from raw snapshots (generated untimed); parsing them is part of its work. */
async function measureB(n: number): Promise<Result> {
  const { vendorEngine, vendorDue, vendorToday } = await import("./naive-vendor.js");
  const engine = vendorEngine();
  const today = vendorToday(AS_OF);
  const sample = Math.min(n, SAMPLE_B);
  for (const warm of batches(Math.min(200, sample), 200, n)) for (const s of warm) await vendorDue(engine, s, today);
  const snapshots = [...portfolio(sample)];
  let actions = 0;
  const t0 = now();
  for (const s of snapshots) actions += (await vendorDue(engine, s, today)).length;
  const seconds = secondsSince(t0);
  // Checked after the timing, on the timed sample.
  const accounts = await normalized(snapshots);
  const same = await sameAsA(accounts.map((a, i) => [a, () => vendorDue(engine, snapshots[i]!, today)]));
  return sampled(n, sample, actions, seconds, same);
}

/** (b′): the same rules over accounts this library normalised (untimed), with its civil-date arithmetic. */
async function measureBNorm(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/civil-date.js");
  const { naiveEngine, naiveDue } = await import("./naive-jre.js");
  const asOf = civilDate(AS_OF);
  const engine = naiveEngine();
  const sample = Math.min(n, SAMPLE_B);
  for (const warm of batches(Math.min(200, sample), 200, n)) for (const a of await normalized(warm)) await naiveDue(engine, a, asOf);
  const accounts = await normalized([...portfolio(sample)]);
  let actions = 0;
  const t0 = now();
  for (const a of accounts) actions += (await naiveDue(engine, a, asOf)).length;
  const seconds = secondsSince(t0);
  const same = await sameAsA(accounts.map((a) => [a, () => naiveDue(engine, a, asOf)]));
  return sampled(n, sample, actions, seconds, same);
}

async function measureC(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/civil-date.js");
  const { handWrittenDue } = await import("./hand-written.js");
  const asOf = civilDate(AS_OF);
  for (const warm of batches(Math.min(n, 2_000), 2_000, n)) for (const a of await normalized(warm)) handWrittenDue(a, asOf);
  let seconds = 0;
  let actions = 0;
  for (const batch of batches(n, BATCH)) {
    const accounts = await normalized(batch);
    const t0 = now();
    for (const a of accounts) actions += handWrittenDue(a, asOf).length;
    seconds += secondsSince(t0);
  }
  return { accounts: n, actions, seconds, maxRssKB: process.resourceUsage().maxRSS, note: "same normalised input as (a)" };
}

function sqlitePath(n: number): string {
  return join(DIR, `portfolio-${n}.db`);
}

async function prepareSqlite(n: number): Promise<void> {
  const path = sqlitePath(n);
  if (existsSync(`${path}.ok`)) return;
  mkdirSync(DIR, { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  const { sqliteLedger } = await import("../src/adapters/sqlite.js");
  const ledger = await sqliteLedger(path);
  for (const batch of batches(n, BATCH)) await ledger.writeAccounts(batch);
  await ledger.close();
  writeFileSync(`${path}.ok`, `${n}\n`);
}

async function planAll(ledger: import("../src/adapters/types.js").LedgerAdapter): Promise<Omit<Result, "maxRssKB" | "note">> {
  const { plan } = await import("../src/plan.js");
  let accounts = 0;
  let actions = 0;
  let skipped = 0;
  const t0 = now();
  for await (const e of plan(ledger, { asOf: AS_OF })) {
    accounts++;
    if (e.type === "planned") actions += e.actions.length;
    else skipped++;
  }
  const seconds = secondsSince(t0);
  if (skipped > 0) throw new Error(`${skipped} accounts skipped`);
  return { accounts, actions, seconds };
}

async function measureSqlite(n: number): Promise<Result> {
  const { sqliteLedger } = await import("../src/adapters/sqlite.js");
  const ledger = await sqliteLedger(sqlitePath(n), { readonly: true });
  const r = await planAll(ledger);
  await ledger.close();
  return { ...r, maxRssKB: process.resourceUsage().maxRSS, note: "streaming, one process, includes reading and normalising" };
}

const pgSchema = (n: number) => `pd_bench_${n}`;

async function prepareP(n: number): Promise<void> {
  const url = process.env.PD_POSTGRES_URL!;
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = pgSchema(n);
  const have = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'bench_ok'`, [schema]);
  if (have.rows[0].n === 1) return void (await client.end());
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  const { postgresLedger } = await import("../src/adapters/postgres.js");
  const ledger = await postgresLedger(url, { schema });
  for (const batch of batches(n, 5_000)) await ledger.writeAccounts(batch);
  await ledger.close();
  const c2 = new pg.Client({ connectionString: url });
  await c2.connect();
  await c2.query(`CREATE TABLE ${schema}.bench_ok (n int)`);
  await c2.query(`VACUUM ANALYZE`);
  await c2.end();
}

async function measurePg(n: number): Promise<Result> {
  const { postgresLedger } = await import("../src/adapters/postgres.js");
  const ledger = await postgresLedger(process.env.PD_POSTGRES_URL!, { readonly: true, schema: pgSchema(n) });
  const r = await planAll(ledger);
  await ledger.close();
  return { ...r, maxRssKB: process.resourceUsage().maxRSS, note: "streaming, local server on the same 2 cores" };
}

async function child(only: string, n: number): Promise<void> {
  const run: Record<string, () => Promise<Result | void>> = {
    a: () => measureA(n),
    b: () => measureB(n),
    "b-norm": () => measureBNorm(n),
    c: () => measureC(n),
    sqlite: () => measureSqlite(n),
    pg: () => measurePg(n),
    "prepare-sqlite": () => prepareSqlite(n),
    "prepare-pg": () => prepareP(n),
  };
  const f = run[only];
  if (!f) throw new Error(`unknown --only ${only}`);
  const result = await f();
  process.stdout.write(`${JSON.stringify(result ?? {})}\n`);
}

// ---------------------------------------------------------------- parent: run the children, print the table

/** A measurement under plain node from the built package (no tsx loader): plan-dist.mjs. */
function distArgs(n: number): string[] {
  const dist = arg("--dist") ?? fileURLToPath(new URL("../dist", import.meta.url));
  if (!existsSync(join(dist, "adapters", "sqlite.js"))) throw new Error("sqlite-dist measures the built package: run npm run build first");
  return [fileURLToPath(new URL("./plan-dist.mjs", import.meta.url)), sqlitePath(n), AS_OF, dist];
}

function spawnChild(only: string, n: number): Result | undefined {
  const self = fileURLToPath(import.meta.url);
  const args = only === "sqlite-dist" ? distArgs(n) : ["--import", "tsx", self, "--only", only, "--size", String(n)];
  const r = spawnSync(process.execPath, args, {
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
  runs.sort((x, y) => x.seconds - y.seconds);
  const median = runs[Math.floor((runs.length - 1) / 2)]!;
  const note = repeat > 1 ? `median of ${repeat} runs (${runs.map((r) => r.seconds.toFixed(kind.startsWith("b") ? 1 : 2)).join(", ")} s); ${median.note ?? ""}` : median.note;
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
  const measure = (arg("--measure")?.split(",") ?? ["a", "b", "b-norm", "c", "sqlite", "pg"]) as Kind[];
  const repeat = Number(arg("--repeat") ?? 1);
  const pgUrl = process.env.PD_POSTGRES_URL;
  const results = new Map<string, Result>();
  const notes: string[] = [];
  const rows: string[][] = [["measurement", "accounts", "actions", "time (s)", "accounts/s", "µs/account", "peak RSS", "note"]];
  console.error(`property-dunning benchmark: node ${process.version}, asOf ${AS_OF}, sizes ${sizes.map(num).join(", ")}, one process per measurement`);
  for (const n of sizes) {
    for (const kind of measure) {
      if (kind === "pg") {
        if (!pgUrl) {
          if (!notes.includes("pg")) notes.push("pg");
          continue;
        }
        if (n > PG_CAP) continue;
      }
      if (kind === "sqlite" || kind === "sqlite-dist" || kind === "pg") {
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
    if (a !== undefined && c !== undefined) lines.push([num(n), "(a) within 2× of (c): (a)/(c) ≥ 0.50", `${(a / c).toFixed(2)} ((c) is ${(c / a).toFixed(2)}× faster)`, verdict(a / c >= 0.5)]);
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
