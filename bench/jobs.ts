/**
 * The nightly run as pg-boss jobs, measured (docs/scale-out.md, "Measured"):
 *
 *   npx tsx bench/jobs.ts <accounts> [rounds] [shards]      # needs PD_POSTGRES_URL; npm run build first
 *   npx tsx bench/jobs.ts <accounts> 0                      # writes the ledger only, once
 *
 * Writes the benchmark portfolio (bench/portfolio.ts, the realistic mix) of that many accounts
 * into a SQLite ledger once, then, `rounds` times and alternating, runs it as a pg-boss run of
 * `shards` shards (default 2) with 1 and with 2 worker processes (`node dist/cli.js worker`, actions to the outbox),
 * each time on a fresh copy of the ledger and a fresh queue database, and prints accounts/s for
 * each with the load average beside it. The one-process figure is the same work (plan, journal,
 * outbox, record) on one worker: the ratio is what a second worker process buys.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadavg } from "node:os";
import pg from "pg";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { plan } from "../src/ledger/plan.js";
import { batches, mixAsOf, selectMix } from "./portfolio.js";

// The floor's child: plans the given shards of a ledger with plan() alone (no pg-boss, no journal,
// no outbox, no recording), one after the other, and prints the seconds it took.
if (process.argv[2] === "--plan-shards") {
  const [, , , ledgerPath, asOf, count, ...mine] = process.argv;
  const started = performance.now();
  let planned = 0;
  for (const index of mine.map(Number)) {
    const ledger = await sqliteLedger(ledgerPath!, { readonly: true });
    for await (const e of plan(ledger, { asOf: asOf!, shard: { index, count: Number(count) } })) if (e.type === "planned") planned++;
    await ledger.close();
  }
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, planned }));
  process.exit(0);
}

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
// Rounds 0: the ledger only (bench/jobs-profile.mts and bench/jobs-ab.mts read it).
if (rounds === 0) process.exit(0);

/** CPU seconds (user + system) of a process, from /proc (Linux); 0 when it is gone. */
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds the PostgreSQL server has used: its live processes' own, plus what the postmaster
 * holds for the backends that have ended (its children's time, once reaped).
 */
function postgresCpu(): number {
  let sum = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") continue;
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
      sum += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

/**
 * The floor: the run's shards planned by plan() alone in `processes` processes (1: every shard in
 * one; 2: half each), timed inside each child (no start-up); the wall time is the slowest child.
 */
async function floor(processes: number): Promise<number> {
  const ledger = `/tmp/pd-bench-jobs-floor-${process.pid}.db`;
  copyFileSync(pristine, ledger);
  const script = fileURLToPath(import.meta.url);
  const share = Array.from({ length: processes }, (_, p) => Array.from({ length: shards }, (_, i) => i).filter((i) => i % processes === p));
  const seconds = await Promise.all(
    share.map(
      (mine) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, ["--import", "tsx", script, "--plan-shards", ledger, AS_OF, String(shards), ...mine.map(String)], { stdio: ["ignore", "pipe", "inherit"] });
          let out = "";
          child.stdout!.on("data", (d) => (out += String(d)));
          child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out).seconds) : reject(new Error(`floor child exited ${code}`))));
        }),
    ),
  );
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${ledger}${suffix}`, { force: true });
  return Math.max(...seconds);
}

async function once(workers: number): Promise<{ seconds: number; span: number; sent: number; planned: number; workerCpu: number; postgresCpu: number }> {
  const db = `pd_bench_jobs_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const queue = base!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`);
  // Per process: other checkouts run this bench too (the smoke test), on the same /tmp.
  const ledger = `/tmp/pd-bench-jobs-run-${process.pid}.db`;
  for (const suffix of ["-wal", "-shm"]) rmSync(`${ledger}${suffix}`, { force: true });
  copyFileSync(pristine, ledger);
  const procs = Array.from({ length: workers }, () => spawn(process.execPath, ["dist/cli.js", "worker", "--queue", queue], { stdio: "ignore" }));
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const cpuBefore = { workers: procs.reduce((n, p) => n + cpuOf(p.pid!), 0), postgres: postgresCpu() };
    const started = performance.now();
    const r = spawnSync(process.execPath, ["dist/cli.js", "run", "--queue", queue, "--ledger", `sqlite:${ledger}`, "--as-of", AS_OF, "--shards", String(shards), "--format", "json"], { encoding: "utf8", maxBuffer: 64 << 20 });
    const seconds = (performance.now() - started) / 1000;
    if (r.status !== 0 && r.status !== 3) throw new Error(r.stderr);
    const outcome = JSON.parse(r.stdout);
    // A run that did not plan every account is not a measurement of planning: say why, loudly.
    if (outcome.shards.failed > 0 || outcome.accounts.planned + outcome.accounts.skipped !== count)
      console.error(`  ${workers} worker(s): the run did not plan every account: ${JSON.stringify({ shards: outcome.shards, retries: outcome.retries, failures: outcome.failures })}\n${r.stderr}`);
    const workerCpu = procs.reduce((n, p) => n + cpuOf(p.pid!), 0) - cpuBefore.workers;
    // The shards' own span: from the run queued to its last shard done (without the run command's start and its last poll).
    const q = new pg.Client({ connectionString: queue });
    await q.connect();
    const span = Number((await q.query(`SELECT extract(epoch FROM max(s.updated_on) - min(r.created_on))::float8 AS span FROM pd_jobs.run r JOIN pd_jobs.shard s ON s.run_id = r.id`)).rows[0].span);
    await q.end();
    return { seconds, span, sent: outcome.actions.sent, planned: outcome.accounts.planned, workerCpu, postgresCpu: postgresCpu() - cpuBefore.postgres };
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
const floorRows: string[] = [];
for (let round = 1; round <= rounds; round++)
  for (const workers of round % 2 ? [1, 2] : [2, 1]) {
    const r = await once(workers);
    rows.push(
      `| ${count.toLocaleString("en")} | ${shards} | ${workers} | ${r.planned.toLocaleString("en")} | ${r.sent.toLocaleString("en")} | ${r.seconds.toFixed(1)} | ${r.span.toFixed(1)} | ${Math.round(r.planned / r.seconds).toLocaleString("en")} | ${r.workerCpu.toFixed(1)} | ${r.postgresCpu.toFixed(1)} | ${load()} |`,
    );
    console.error(rows.at(-1)); // progress; stdout holds the closing tables only, each run once
    // The floor, paired with the run: the same shards by plan() alone in as many processes.
    const f = await floor(workers);
    floorRows.push(`| ${count.toLocaleString("en")} | ${shards} | ${workers} | ${f.toFixed(1)} | ${Math.round(count / f).toLocaleString("en")} | ${load()} |`);
    console.error(floorRows.at(-1));
  }
console.log(
  `\n| accounts | shards | processes (plan() alone, the floor) | time (s) | accounts/s | load average |\n|---|---|---|---|---|---|\n${floorRows.join("\n")}` +
    `\n\n| accounts | shards | worker processes | planned | actions sent | time (s) | queued → last shard done (s) | accounts/s | workers' CPU (s) | PostgreSQL CPU (s) | load average |\n|---|---|---|---|---|---|---|---|---|---|---|\n${rows.join("\n")}`,
);
