/**
 * Two builds of the jobs code, paired (docs/scale-out.md, "Where the time goes"):
 *
 *   npx tsx bench/jobs-ab.mts <accounts> <rounds> <other build's dist/cli.js>   # needs PD_POSTGRES_URL; npm run build first
 *
 * On the ledger bench/jobs.ts writes (run it once for that size first), alternating A (the other
 * build, e.g. the tree before a change: `git archive <commit> | tar -x -C dir`, link
 * node_modules, `npx tsup` there) and B (this checkout's dist/cli.js), `rounds` times A, B, B, A…:
 * one worker process and a run of 2 shards on a fresh copy of the ledger and a fresh queue
 * database; prints the run's time, the shards' span, the worker's and PostgreSQL's CPU seconds and
 * the transactions the queue database committed (each a round trip of the worker or pg-boss).
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import pg from "pg";
import { mixAsOf, selectMix } from "./portfolio.js";

const count = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 2);
const other = process.argv[4];
const base = process.env.PD_POSTGRES_URL;
const pristine = `/tmp/pd-bench-jobs-${count}.db`;
if (!base || !other || !existsSync(other) || !existsSync(`${pristine}.ok`)) {
  console.error("usage: PD_POSTGRES_URL=… npx tsx bench/jobs-ab.mts <accounts> <rounds> <other dist/cli.js> (after bench/jobs.ts <accounts> 0 wrote the ledger)");
  process.exit(2);
}
selectMix("realistic", count);
const AS_OF = mixAsOf();
const builds = { A: resolve(other), B: resolve("dist/cli.js") };

const cpuOf = (pid: number, children = false): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return (Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)) / 100;
  } catch {
    return 0;
  }
};
const postgresCpu = () =>
  readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .reduce((sum, pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres" ? sum + cpuOf(Number(pid), true) : sum;
      } catch {
        return sum;
      }
    }, 0);

async function once(cli: string) {
  const db = `pd_bench_ab_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${db}`);
  const queue = base!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`);
  const ledger = `/tmp/pd-bench-ab-${process.pid}.db`;
  copyFileSync(pristine, ledger);
  const worker = spawn(process.execPath, [cli, "worker", "--queue", queue], { stdio: "ignore" });
  try {
    await new Promise((r) => setTimeout(r, 2500));
    const xacts = async () => Number((await admin.query("SELECT pg_stat_force_next_flush()").catch(() => undefined), (await admin.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = $1`, [db])).rows[0].xact_commit));
    const before = { worker: cpuOf(worker.pid!), postgres: postgresCpu(), xacts: await xacts() };
    const started = performance.now();
    const r = spawnSync(process.execPath, [cli, "run", "--queue", queue, "--ledger", `sqlite:${ledger}`, "--as-of", AS_OF, "--shards", "2", "--format", "json"], { encoding: "utf8", maxBuffer: 64 << 20 });
    const seconds = (performance.now() - started) / 1000;
    if (r.status !== 0 && r.status !== 3) throw new Error(r.stderr);
    const outcome = JSON.parse(r.stdout);
    const workerCpu = cpuOf(worker.pid!) - before.worker;
    const pgCpu = postgresCpu() - before.postgres;
    const q = new pg.Client({ connectionString: queue });
    await q.connect();
    const span = Number((await q.query(`SELECT extract(epoch FROM max(s.updated_on) - min(r.created_on))::float8 AS span FROM pd_jobs.run r JOIN pd_jobs.shard s ON s.run_id = r.id`)).rows[0].span);
    await q.end();
    await new Promise((r) => setTimeout(r, 600));
    return { seconds, span, workerCpu, pgCpu, xacts: (await xacts()) - before.xacts, sent: outcome.actions.sent as number, planned: outcome.accounts.planned as number };
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once("exit", r)));
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${ledger}${suffix}`, { force: true });
  }
}

console.log(`A = ${builds.A}\nB = ${builds.B}\n\n| build | accounts | planned | actions | time (s) | queued → last shard done (s) | worker CPU (s) | PostgreSQL CPU (s) | queue-database transactions | load average |\n|---|---|---|---|---|---|---|---|---|---|`);
for (let round = 1; round <= rounds; round++)
  for (const build of round % 2 ? (["A", "B"] as const) : (["B", "A"] as const)) {
    const r = await once(builds[build]);
    console.log(`| ${build} | ${count.toLocaleString("en")} | ${r.planned.toLocaleString("en")} | ${r.sent.toLocaleString("en")} | ${r.seconds.toFixed(1)} | ${r.span.toFixed(1)} | ${r.workerCpu.toFixed(1)} | ${r.pgCpu.toFixed(1)} | ${r.xacts.toLocaleString("en")} | ${loadavg().map((l) => l.toFixed(2)).join(" ")} |`);
  }
