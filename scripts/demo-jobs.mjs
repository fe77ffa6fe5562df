#!/usr/bin/env node
// `npm run demo:jobs`: the demo plan as a pg-boss run with two worker processes on the local
// PostgreSQL (docs/scale-out.md). Each time from a clean slate: the demo estate is copied to
// demo/jobs-estate.db and planned once in one process (out/demo-jobs-single.json), the queue
// database property_dunning_jobs_demo is emptied, two `property-dunning worker` processes start,
// `property-dunning run --shards 4` queues today's plan and waits, and the actions in the outbox are
// compared with the single-process plan, id for id. Exit code: the run's.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import pg from "pg";

const CLI = "dist/cli.js";
const LEDGER = "demo/jobs-estate.db";
const SINGLE = "out/demo-jobs-single.json";
const asOf = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());

const say = (line) => process.stdout.write(`demo:jobs: ${line}\n`);
const queue = execFileSync("bash", ["scripts/start-postgres.sh"], { env: { ...process.env, PD_PG_DB: "property_dunning_jobs_demo" }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
say(`queue database ${queue}`);

// A clean slate: the demo's own queue database holds nothing but this demo's runs.
const client = new pg.Client({ connectionString: queue });
await client.connect();
await client.query("DROP SCHEMA IF EXISTS pd_jobs CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE");
await client.end();
for (const suffix of ["", "-wal", "-shm"]) rmSync(LEDGER + suffix, { force: true });

say(`the demo estate, planned in one process for ${asOf}:`);
execFileSync(process.execPath, [CLI, "demo", "--db", LEDGER, "--as-of", asOf, "--out", SINGLE], { stdio: "inherit" });
const single = JSON.parse(readFileSync(SINGLE, "utf8")).map((a) => a.id);

const workers = [1, 2].map((n) => {
  const child = spawn(process.execPath, [CLI, "worker", "--queue", queue], { stdio: ["ignore", "inherit", "pipe"] });
  child.stderr.on("data", (chunk) => process.stderr.write(String(chunk).replace(/^(?=.)/gm, `[worker ${n}] `)));
  return child;
});
say(`two worker processes started (${workers.map((w) => w.pid).join(", ")}); queueing the run as 4 shard jobs`);
let code = 0;
try {
  // Not execFileSync: the workers' lines are passed on while the run waits.
  const run = spawn(process.execPath, [CLI, "run", "--queue", queue, "--ledger", `sqlite:${LEDGER}`, "--as-of", asOf, "--shards", "4"], { stdio: "inherit" });
  code = await new Promise((resolve) => run.once("exit", (status) => resolve(status ?? 1)));
  const check = new pg.Client({ connectionString: queue });
  await check.connect();
  const outbox = (await check.query("SELECT action_id FROM pd_jobs.outbox")).rows.map((r) => r.action_id);
  await check.end();
  const same = outbox.length === single.length && new Set(outbox).size === outbox.length && outbox.every((id) => single.includes(id));
  say(`the outbox (pd_jobs.outbox) holds ${outbox.length} actions; the single-process plan ${single.length}: ${same ? "the same ids, each once" : "NOT the same"}`);
  if (!same) code = code || 1;
} finally {
  for (const w of workers) w.kill("SIGTERM");
  await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve() : w.once("exit", resolve)))));
}
process.exitCode = code;
