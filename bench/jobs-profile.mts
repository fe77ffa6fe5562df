/**
 * Where one worker's time goes on a pg-boss run (docs/scale-out.md, "Where the time goes"):
 *
 *   npx tsx bench/jobs-profile.mts <accounts> [shards]      # needs PD_POSTGRES_URL; npm run build first
 *
 * On the benchmark's realistic mix (the ledger bench/jobs.ts writes), one worker process (from
 * src, under tsx, so that the profile names source files) runs with `--cpu-prof` while `run`
 * plans `shards` shards; its profile is summed by where each sample's own code lives: planning
 * (src/schedule, src/rules), reading the ledger (src/adapters, better-sqlite3), the shard filter
 * (shardOf, called by SQLite once per account id per shard), the jobs code, the PostgreSQL
 * driver and pg-boss, the garbage collector, and idle (waiting on PostgreSQL or for a job).
 * Then, apart from the run, the shard filter alone: SQLite counting one shard's ids with
 * `pd_shard_of` against counting all ids, the fixed cost every shard pays.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { shardOf } from "../src/ledger/shard.js";
import { mixAsOf, selectMix } from "./portfolio.js";

const count = Number(process.argv[2] ?? 20_000);
const shards = Number(process.argv[3] ?? 2);
const base = process.env.PD_POSTGRES_URL;
const pristine = `/tmp/pd-bench-jobs-${count}.db`;
if (!base || !readdirSync("/tmp").includes(`pd-bench-jobs-${count}.db.ok`)) {
  console.error(`usage: PD_POSTGRES_URL=… npx tsx bench/jobs-profile.mts <accounts> [shards] (run bench/jobs.ts ${count} 0 once first: it writes the ledger)`);
  process.exit(2);
}
selectMix("realistic", count);
const AS_OF = mixAsOf();
const dir = mkdtempSync(join(tmpdir(), "pd-jobs-prof-"));
const db = `pd_bench_prof_${process.pid}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${db}`);
const queue = base.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`);
const ledger = join(dir, "ledger.db");
copyFileSync(pristine, ledger);

const worker = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "tsx", "src/cli/bin.ts", "worker", "--queue", queue], { stdio: ["ignore", "ignore", "pipe"] });
let log = "";
worker.stderr!.on("data", (d) => (log += String(d)));
await new Promise((r) => setTimeout(r, 4000));
const started = performance.now();
const r = spawnSync(process.execPath, ["dist/cli.js", "run", "--queue", queue, "--ledger", `sqlite:${ledger}`, "--as-of", AS_OF, "--shards", String(shards), "--format", "json"], { encoding: "utf8", maxBuffer: 64 << 20 });
const seconds = (performance.now() - started) / 1000;
if (r.status !== 0 && r.status !== 3) throw new Error(r.stderr);
const outcome = JSON.parse(r.stdout);
const q = new pg.Client({ connectionString: queue });
await q.connect();
const spans = (await q.query(`SELECT shard, extract(epoch FROM s.updated_on - r.created_on)::float8 AS until FROM pd_jobs.run r JOIN pd_jobs.shard s ON s.run_id = r.id ORDER BY shard`)).rows;
await q.end();
worker.kill("SIGTERM");
await new Promise((resolve) => worker.once("exit", resolve));
await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
await admin.end();

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
const profileFile = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
if (!profileFile) throw new Error(`no profile written:\n${log}`);
const profile = JSON.parse(readFileSync(join(dir, profileFile), "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** Where a sample's own code lives; native frames (better-sqlite3's statements) count for their nearest JavaScript caller. */
function categoryOf(id: number): string {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { functionName: f, url } = byId.get(at)!.callFrame;
    if (f === "(idle)") return "idle (waiting on PostgreSQL, or for a job)";
    if (f === "(garbage collector)") return "garbage collector";
    if (f === "(program)") return "V8 and native, unattributed";
    if (f === "shardOf" || f === "fnv1a32" || (url.includes("/src/adapters/sqlite") && f === "")) return "the shard filter (shardOf per id, from SQLite)";
    if (!url) continue;
    if (url.includes("/src/schedule/") || url.includes("/src/rules/") || url.includes("/src/ledger/plan") || url.includes("node_modules/luxon") || url.includes("node_modules/rrule")) return "planning (src/schedule, src/rules, plan)";
    if (url.includes("/src/adapters/") || url.includes("/src/ledger/") || url.includes("node_modules/better-sqlite3")) return "reading and recording the ledger (src/adapters, src/ledger)";
    if (url.includes("/src/jobs/")) return "the jobs code (src/jobs)";
    if (url.includes("node_modules/pg-boss")) return "pg-boss";
    if (url.includes("node_modules/pg") || url.includes("node_modules/pg-protocol")) return "the PostgreSQL driver (pg)";
    if (url.includes("node_modules/tsx") || url.includes("node_modules/esbuild")) return "tsx (loading the source)";
    if (url.startsWith("node:")) continue;
  }
  return "Node internals, other";
}
// The window of the shards: from the first sample inside the worker's shard handler to the last
// (the start-up and the idle polling before and after are not the shards' cost).
const inShard = (id: number) => {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (byId.get(at)!.callFrame.url.includes("/src/jobs/worker.ts")) return true;
  return false;
};
const firstIn = profile.samples.findIndex(inShard);
const lastIn = profile.samples.length - 1 - [...profile.samples].reverse().findIndex(inShard);
const totals = new Map<string, number>();
let all = 0;
profile.samples.forEach((id, i) => {
  if (i < firstIn || i > lastIn) return;
  const us = profile.timeDeltas[i] ?? 0;
  all += us;
  const c = categoryOf(id);
  totals.set(c, (totals.get(c) ?? 0) + us);
});

// The shard filter alone: the fixed cost each shard pays before it plans anything.
const conn = new Database(ledger, { readonly: true });
conn.function("pd_shard_of", { deterministic: true }, (id: unknown, n: number) => (typeof id === "string" && id.length > 0 ? shardOf(id, n) : 0));
const time = (sql: string, ...params: unknown[]) => {
  const t = performance.now();
  const n = (conn.prepare(sql).get(...params) as { n: number }).n;
  return { ms: performance.now() - t, n };
};
const tableOf = (conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%account%' ORDER BY length(name) LIMIT 1").get() as { name: string }).name;
time(`SELECT count(*) AS n FROM ${tableOf}`);
const whole = time(`SELECT count(*) AS n FROM ${tableOf} a`);
const oneShard = time(`SELECT count(*) AS n FROM ${tableOf} a WHERE pd_shard_of(a.id, ?) = ?`, shards, 0);
conn.close();
// Reading through the adapter (the accounts with their charges, payments and actions), whole and one shard.
const readMs = async (shard?: { index: number; count: number }) => {
  const l = await sqliteLedger(ledger, { readonly: true });
  const t = performance.now();
  let n = 0;
  for await (const _ of l.accounts(shard ? { shard } : {})) n++;
  const ms = performance.now() - t;
  await l.close();
  return { ms, n };
};
await readMs();
const readWhole = await readMs();
const readShard = await readMs({ index: 0, count: shards });
rmSync(dir, { recursive: true, force: true });

console.log(`${count.toLocaleString("en")} accounts, ${shards} shards, one worker: run ${seconds.toFixed(1)} s, ${outcome.accounts.planned.toLocaleString("en")} planned, ${outcome.actions.sent.toLocaleString("en")} actions; shards done at ${spans.map((s) => `${Number(s.until).toFixed(1)} s`).join(", ")} after the run was queued; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log(`\n| where the worker's time went, first to last sample in a shard (CPU profile, ${(all / 1e6).toFixed(1)} s sampled) | s | share |\n|---|---|---|`);
for (const [c, us] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`| ${c} | ${(us / 1e6).toFixed(2)} | ${((100 * us) / all).toFixed(1)} % |`);
console.log(`\nthe shard filter alone (${tableOf}): counting all ${whole.n.toLocaleString("en")} ids ${whole.ms.toFixed(0)} ms; one shard of ${shards} (${oneShard.n.toLocaleString("en")} ids) through pd_shard_of ${oneShard.ms.toFixed(0)} ms — paid once per shard, ${shards} times per run`);
console.log(`reading through the adapter: the whole ledger (${readWhole.n.toLocaleString("en")} entries) ${readWhole.ms.toFixed(0)} ms; one shard of ${shards} (${readShard.n.toLocaleString("en")}) ${readShard.ms.toFixed(0)} ms (${((100 * readShard.ms) / readWhole.ms).toFixed(0)} % of the whole for ${((100 * readShard.n) / readWhole.n).toFixed(0)} % of the entries)`);
