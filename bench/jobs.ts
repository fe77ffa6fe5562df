/**
 * The nightly run as pg-boss jobs, measured (docs/scale-out.md, "Measured"):
 *
 *   npx tsx bench/jobs.ts <accounts> [rounds] [shards]      # needs PD_POSTGRES_URL; npm run build first
 *
 * Writes the benchmark portfolio (bench/portfolio.ts, the realistic mix) of that many accounts
 * into a SQLite ledger once, then, `rounds` times and alternating, runs it as a pg-boss run of
 * `shards` shards (default 2) with 1 and with 2 worker processes (`node dist/cli.js worker`, actions to the outbox),
 * each time on a fresh copy of the ledger and a fresh queue database, and prints accounts/s for
 * each with the load average beside it. The one-process figure is the same work (plan, journal,
 * outbox, record) on one worker: the ratio is what a second worker process buys.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import pg from "pg";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { batches, mixAsOf, selectMix } from "./portfolio.js";

const count = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 1);
// Each shard of a SQLite ledger scans every id (the filter runs in SQL, per row): more shards than
// worker slots cost reading time, so the default is one shard per worker of the larger case.
const shards = Number(process.argv[4] ?? 2);
const base = process.env.PD_POSTGRES_URL;
if (!base || !Number.isInteger(count) || count < 1) {
  console.error("usage: PD_POSTGRES_URL=… npx tsx bench/jobs.ts <accounts> [rounds] [shards]");
  process.exit(2);
}
selectMix("realistic", count);
const AS_OF = mixAsOf();
const pristine = `/tmp/pd-bench-jobs-${count}.db`;
if (!existsSync(`${pristine}.ok`)) {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${pristine}${suffix}`, { force: true });
  const ledger = await sqliteLedger(pristine);
  for (const batch of batches(count, 10_000)) await ledger.writeAccounts(batch);
  await ledger.close();
  writeFileSync(`${pristine}.ok`, "");
}

async function once(workers: number): Promise<{ seconds: number; sent: number; planned: number }> {
  const db = `pd_bench_jobs_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const queue = base!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`);
  const ledger = `/tmp/pd-bench-jobs-run.db`;
  for (const suffix of ["-wal", "-shm"]) rmSync(`${ledger}${suffix}`, { force: true });
  copyFileSync(pristine, ledger);
  const procs = Array.from({ length: workers }, () => spawn(process.execPath, ["dist/cli.js", "worker", "--queue", queue], { stdio: "ignore" }));
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const started = performance.now();
    const r = spawnSync(process.execPath, ["dist/cli.js", "run", "--queue", queue, "--ledger", `sqlite:${ledger}`, "--as-of", AS_OF, "--shards", String(shards), "--format", "json"], { encoding: "utf8", maxBuffer: 64 << 20 });
    const seconds = (performance.now() - started) / 1000;
    if (r.status !== 0 && r.status !== 3) throw new Error(r.stderr);
    const outcome = JSON.parse(r.stdout);
    return { seconds, sent: outcome.actions.sent, planned: outcome.accounts.planned };
  } finally {
    for (const p of procs) p.kill("SIGTERM");
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once("exit", r)))));
    const drop = new pg.Client({ connectionString: base });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await drop.end();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${ledger}${suffix}`, { force: true });
  }
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const rows: string[] = [];
for (let round = 1; round <= rounds; round++)
  for (const workers of round % 2 ? [1, 2] : [2, 1]) {
    const r = await once(workers);
    rows.push(`| ${count.toLocaleString("en")} | ${shards} | ${workers} | ${r.planned.toLocaleString("en")} | ${r.sent.toLocaleString("en")} | ${r.seconds.toFixed(1)} | ${Math.round(r.planned / r.seconds).toLocaleString("en")} | ${load()} |`);
    console.log(rows.at(-1));
  }
console.log(`\n| accounts | shards | worker processes | planned | actions sent | time (s) | accounts/s | load average |\n|---|---|---|---|---|---|---|---|\n${rows.join("\n")}`);
