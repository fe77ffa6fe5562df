#!/usr/bin/env node
// `npm run demo:jobs`: the demo plan as a pg-boss run with two worker processes on the local
// PostgreSQL (docs/scale-out.md). Each run has everything of its own, so that two runs at once
// (two terminals, two CI jobs on one server) never meet: a queue database named for the run
// (property_dunning_jobs_demo_<run>, created empty and dropped at the end), and a directory of its
// own for the demo estate and the single-process plan (removed at the end). The estate is built
// there and planned once in one process, two `property-dunning worker` processes start (the run
// is queued once both say they are taking shard jobs), `property-dunning run --shards 4` queues
// today's plan and waits, and the actions in the outbox are compared with the single-process plan,
// id for id. Exit code: the run's.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const CLI = "dist/cli.js";
const RUN = `${process.pid}_${randomBytes(3).toString("hex")}`;
const DATABASE = `property_dunning_jobs_demo_${RUN}`;
const dir = mkdtempSync(join(tmpdir(), "pd-demo-jobs-"));
const LEDGER = join(dir, "jobs-estate.db");
const SINGLE = join(dir, "demo-jobs-single.json");
const asOf = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());

const say = (line) => process.stdout.write(`demo:jobs: ${line}\n`);
const queue = execFileSync("bash", ["scripts/start-postgres.sh"], { env: { ...process.env, PD_PG_DB: DATABASE }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
say(`queue database ${queue} (this run's own; dropped at the end), estate and plan in ${dir}`);

/** Drops this run's queue database (from the server's maintenance database) and its directory. */
async function cleanUp() {
  const admin = new pg.Client({ connectionString: queue.replace(/\/[^/?]*(\?.*)?$/, "/postgres$1") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}

say(`the demo estate, planned in one process for ${asOf}:`);
try {
  execFileSync(process.execPath, [CLI, "demo", "--db", LEDGER, "--as-of", asOf, "--out", SINGLE], { stdio: "inherit" });
} catch (error) {
  await cleanUp();
  throw error;
}
const single = JSON.parse(readFileSync(SINGLE, "utf8")).map((a) => a.id);

const workers = [1, 2].map((n) => {
  const child = spawn(process.execPath, [CLI, "worker", "--queue", queue], { stdio: ["ignore", "inherit", "pipe"] });
  let said = "";
  // Ready: the worker has said it takes shard jobs (its first line once it is connected).
  child.ready = new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      process.stderr.write(String(chunk).replace(/^(?=.)/gm, `[worker ${n}] `));
      said += String(chunk);
      if (said.includes("taking shard jobs")) resolve();
    });
    child.once("exit", (status) => reject(new Error(`worker ${n} exited (${status}) before it took jobs`)));
  });
  // Handled where it is awaited; a worker stopped at the end before it was ready is no further error.
  child.ready.catch(() => undefined);
  return child;
});
let code = 0;
try {
  // Both workers take jobs before the run is queued: either may then take any shard.
  await Promise.all(workers.map((w) => w.ready));
  say(`two worker processes taking jobs (${workers.map((w) => w.pid).join(", ")}); queueing the run as 4 shard jobs`);
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
  await cleanUp();
}
process.exitCode = code;
