/**
 * The jobs as a user meets them through the built CLI and the docs (`npm test` builds first):
 * `npm run demo:jobs` (two worker processes, the same ids as the single-process plan), the
 * walk-through of docs/scale-out.md and the worker/run examples of docs/cli.md, run exactly as
 * printed, and `property-dunning/jobs` loading nothing of pg-boss until it is used.
 *
 * `npm run demo:jobs` makes a queue database and an estate of its own for each run and drops them
 * at the end; the docs' examples name their own (property_dunning_jobs_demo, demo/jobs-estate.db),
 * which their case makes when missing. Needs PD_POSTGRES_URL (the server
 * scripts/start-postgres.sh starts): without it the cases are skipped, except in CI.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import pg from "pg";
import { COMMANDS } from "../src/cli/help.js";
import { openLedger } from "../src/adapters/open.js";
import { ensureDemoEstate } from "../src/demo/estate.js";
import { openJobs } from "../src/jobs/index.js";
import { plan } from "../src/ledger/plan.js";
import { cliEnv } from "./helpers.js";

const PG_URL = process.env.PD_POSTGRES_URL || undefined;
const IN_CI = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";
if (PG_URL === undefined && !IN_CI) console.warn("jobs-cli.test.ts: PD_POSTGRES_URL is not set, so the demo and docs cases are SKIPPED. Run them with: export PD_POSTGRES_URL=$(scripts/start-postgres.sh)");

const root = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(root, "dist/cli.js");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const env = cliEnv({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "FORCE_COLOR")), NO_COLOR: "1" });

describe("property-dunning/jobs in the built package", () => {
  it("loads from ESM and CommonJS without loading pg-boss or pg (they are optional, loaded when a run or worker starts)", () => {
    const cjs = spawnSync(
      process.execPath,
      ["-e", `const j = require("property-dunning/jobs"); const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](pg-boss|pg)[\\\\/]/.test(k)); console.log(JSON.stringify([typeof j.startRun, typeof j.startWorker, typeof j.scheduleNightly, loaded]));`],
      { cwd: root, encoding: "utf8" },
    );
    expect(JSON.parse(cjs.stdout)).toEqual(["function", "function", "function", []]);
    const esm = spawnSync(process.execPath, ["--input-type=module", "-e", `import { startRun, runProgress } from "property-dunning/jobs"; console.log(typeof startRun, typeof runProgress);`], { cwd: root, encoding: "utf8" });
    expect(esm.stdout.trim()).toBe("function function");
    // The root entry knows nothing of jobs (it must also run in a browser).
    expect(read("src/index.ts")).not.toMatch(/jobs/);
  });

  it("refuses bad options before connecting, as JobsError with a code (errors are data)", async () => {
    const { JobsError } = await import("../src/jobs/index.js");
    const { isPropertyDunningError } = await import("../src/index.js");
    const refusal = (error: unknown) => ({ jobs: error instanceof JobsError, library: isPropertyDunningError(error), code: (error as { code?: string }).code });
    const refused = { jobs: true, library: true, code: "invalid_option" };
    expect(await openJobs({ queue: "mysql://localhost/q" }).then(() => undefined, refusal)).toEqual(refused);
    const { scheduleNightly } = await import("../src/jobs/index.js");
    // A schedule's name becomes a queue's name: letters, digits, _ and - only; its zone must exist.
    expect(await scheduleNightly({ queue: "postgres://localhost/q" }, { name: "green garden", ledger: "sqlite:x.db" }).then(() => undefined, refusal)).toEqual(refused);
    expect(await scheduleNightly({ queue: "postgres://localhost/q" }, { name: "green-garden", ledger: "sqlite:x.db", timeZone: "Asia/Atlantis" }).then(() => undefined, refusal)).toEqual(refused);
  });

  it("states pg-boss as an optional peer dependency of the 10 line (the one that runs on Node 20), pinned for development", () => {
    const pkg = JSON.parse(read("package.json"));
    expect(pkg.peerDependencies["pg-boss"]).toBe("^10.4.0");
    expect(pkg.peerDependenciesMeta["pg-boss"]).toEqual({ optional: true });
    expect(pkg.devDependencies["pg-boss"]).toMatch(/^10\.4\.\d+$/);
    expect(JSON.parse(read("node_modules/pg-boss/package.json")).engines.node).toBe(">=20");
  });
});

describe.runIf(PG_URL === undefined && IN_CI)("jobs demo in CI", () => {
  it("needs a PostgreSQL server: set PD_POSTGRES_URL (scripts/start-postgres.sh prints it)", () => {
    throw new Error("CI is set but PD_POSTGRES_URL is not: start the server with scripts/start-postgres.sh and export its URL");
  });
});

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "jobs demo and docs — SKIPPED: PD_POSTGRES_URL is not set" : "npm run demo:jobs and the docs' job commands, as printed", () => {
  const scaleOut = read("docs/scale-out.md");

  it("npm run demo:jobs builds, then runs scripts/demo-jobs.mjs (the step below); README and docs/scale-out.md print it", () => {
    expect(JSON.parse(read("package.json")).scripts["demo:jobs"]).toBe("npm run build --silent -- --silent && node scripts/demo-jobs.mjs");
    expect(scaleOut).toContain("```sh\nnpm run demo:jobs\n```");
    expect(read("README.md")).toMatch(/npm run demo:jobs.*\(docs\/scale-out\.md\)/);
  });

  it("npm run demo:jobs: two worker processes send exactly the single-process plan's actions, each once, each shard done once", () => {
    const r = spawnSync(process.execPath, ["scripts/demo-jobs.mjs"], { cwd: root, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(0);
    expect(output).toMatch(/shards +4 done, 0 failed, of 4/);
    expect(output).toMatch(/accounts +2,100 planned, 0 skipped/);
    expect(output).toMatch(/the outbox \(pd_jobs\.outbox\) holds (\d+) actions; the single-process plan \1: the same ids, each once/);
    // Both worker processes were taking jobs before the run was queued (the demo waits for it).
    expect(output).toMatch(/\[worker 1\] worker \d+: taking shard jobs from the queue/);
    expect(output).toMatch(/\[worker 2\] worker \d+: taking shard jobs from the queue/);
    // Each of the four shards done exactly once, by whichever worker took it (one worker may
    // drain them all before the other claims one: that is a correct run), and the accounts their
    // lines count add up to the run's: no shard planned twice, none left out.
    const done = [...output.matchAll(/\[worker [12]\] run \S+ shard (\d): done, (\d+) accounts planned, (\d+) skipped/g)];
    expect(done.map((m) => Number(m[1])).sort()).toEqual([0, 1, 2, 3]);
    expect(done.reduce((n, m) => n + Number(m[2]) + Number(m[3]), 0)).toBe(2100);
  }, 120_000);

  it("docs/scale-out.md's walk-through runs as printed (after the demo): two workers, one run, stopped", () => {
    const block = /<!-- walk-through -->\n```sh\n([\s\S]*?)```/.exec(scaleOut)?.[1];
    expect(block).toBeDefined();
    const r = spawnSync("bash", ["-c", `set -e\n${block}`], { cwd: root, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(0);
    expect(output).toMatch(/shards +4 done, 0 failed, of 4/);
  }, 120_000);

  it("docs/cli.md's worker and run examples run as printed: two workers, the run, the same run again as JSON", async () => {
    // What the examples name: the queue database (start-postgres.sh makes it) and an estate at
    // demo/jobs-estate.db (a small one when missing: the examples plan whatever estate is there).
    const made = spawnSync("bash", ["scripts/start-postgres.sh"], { cwd: root, encoding: "utf8", env: { ...env, PD_PG_DB: "property_dunning_jobs_demo" } });
    expect(made.status, made.stderr).toBe(0);
    await ensureDemoEstate(join(root, "demo/jobs-estate.db"), { asOf: "2026-11-25", seed: 20260301, residentialUnits: 40, shops: 2, historyUntil: "2026-11-01" });
    // The estates example's ledger: a copy of the recipe's estate group, as its note says.
    mkdirSync(join(root, "out"), { recursive: true });
    copyFileSync(join(root, "examples/recipes/estate-group.json"), join(root, "out/estate-group.json"));
    const args = (line: string) => line.split(/\s+/).slice(1);
    const workers = COMMANDS.worker.examples.map((e) => {
      const child = spawn(process.execPath, [CLI, ...args(e.command)], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr!.on("data", (d) => (err += String(d)));
      return { child, err: () => err, ready: new Promise<void>((resolve) => child.stderr!.once("data", () => resolve())) };
    });
    try {
      await Promise.all(workers.map((w) => w.ready));
      const [first, again, estates] = COMMANDS.run.examples.map((e) => spawnSync(process.execPath, [CLI, ...args(e.command)], { cwd: root, encoding: "utf8", env }));
      expect(first!.status, first!.stderr).toBe(0);
      expect(first!.stdout).toMatch(/shards +4 done, 0 failed, of 4/);
      expect(again!.status, again!.stderr).toBe(0);
      expect(again!.stderr).toContain("nothing queued");
      expect(JSON.parse(again!.stdout)).toMatchObject({ shards: { total: 4, done: 4, failed: 0, pending: 0 }, finished: true });
      // docs/recipes.md's estate group: six accounts, each estate's by its policy, west-gate's by the residential given for the segment.
      expect(estates!.status, estates!.stderr).toBe(0);
      expect(estates!.stdout).toMatch(/accounts +6 planned, 0 skipped/);
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
    }
    const codes = await Promise.all(workers.map((w) => new Promise<number | null>((resolve) => (w.child.exitCode !== null ? resolve(w.child.exitCode) : w.child.once("exit", (code) => resolve(code))))));
    expect(codes, workers.map((w) => w.err()).join("\n")).toEqual([0, 0]);
  }, 120_000);

  it("worker: SIGTERM while the CLI is still loading its commands is a clean stop (exit 0, nothing taken), not death by signal (143)", async () => {
    // A module hook that holds the loading of the commands (main) for 1.5 s and says when it
    // begins, so the signal lands in that window every time, however loaded the machine is.
    const dir = mkdtempSync(join(tmpdir(), "pd-jobs-sig-"));
    try {
      writeFileSync(
        join(dir, "hooks.mjs"),
        `import { writeSync } from "node:fs";\nexport async function load(url, context, next) {\n  if (/\\/(main-[^/]*\\.js|cli\\/main\\.ts)$/.test(url)) { writeSync(2, "loading the commands\\n"); await new Promise((r) => setTimeout(r, 1500)); }\n  return next(url, context);\n}\n`,
      );
      writeFileSync(join(dir, "slow.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`);
      const child = spawn(process.execPath, ["--import", join(dir, "slow.mjs"), CLI, "worker", "--queue", PG_URL!], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      let sent = false;
      child.stderr!.on("data", (d) => {
        err += String(d);
        // One signal: a second one, sent on the next chunk of stderr, would land after the worker let go.
        if (!sent && err.includes("loading the commands\n")) (sent = true), child.kill("SIGTERM");
      });
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once("exit", (c, sig) => resolve([c, sig])));
      expect({ code, signal }, err).toEqual({ code: 0, signal: null });
      expect(err).toMatch(/worker \d+: SIGTERM before it started; nothing taken/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("run --detach queues the run, prints its id and exits 0 without waiting; the run goes on when a worker starts, and run again waits for it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-jobs-detach-"));
    const db = `pd_jobs_detach_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${db}`);
    const queue = PG_URL!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`);
    let worker: ReturnType<typeof spawn> | undefined;
    try {
      await ensureDemoEstate(join(dir, "estate.db"), { asOf: "2026-11-25", seed: 5, residentialUnits: 40, shops: 2, historyUntil: "2026-11-01" });
      const run = (...extra: string[]) => spawnSync(process.execPath, [CLI, "run", "--queue", queue, "--ledger", `sqlite:${join(dir, "estate.db")}`, "--as-of", "2026-11-25", "--shards", "2", ...extra], { cwd: root, encoding: "utf8", env });
      // No worker is running: a run that waited would never end.
      const detached = run("--detach");
      expect(detached.status, detached.stderr).toBe(0);
      const runId = detached.stdout.trim();
      expect(runId).toMatch(/^\S+$/);
      expect(detached.stderr).toContain(`run ${runId}: 2 shard jobs queued for 2026-11-25`);
      worker = spawn(process.execPath, [CLI, "worker", "--queue", queue], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
      const waited = run();
      expect(waited.status, waited.stderr).toBe(0);
      expect(waited.stderr).toContain(`run ${runId}: this ledger's run for 2026-11-25 exists (2 shards); nothing queued`);
      expect(waited.stdout).toMatch(/shards +2 done, 0 failed, of 2/);
      expect(waited.stdout).toMatch(/accounts +42 planned, 0 skipped/);
      // The same day with another shard count or another policy: refused as invalid input, named with its code; the run stands.
      const asked = (...extra: string[]) => spawnSync(process.execPath, [CLI, "run", "--queue", queue, "--ledger", `sqlite:${join(dir, "estate.db")}`, "--as-of", "2026-11-25", ...extra], { cwd: root, encoding: "utf8", env });
      const reshard = asked("--shards", "3");
      expect(reshard.status, reshard.stderr).toBe(1);
      expect(reshard.stderr).toContain(`run_mismatch: run ${runId}: the run of this ledger for 2026-11-25 exists with 2 shards, not 3`);
      const repolicy = asked("--policy", "commercial");
      expect(repolicy.status, repolicy.stderr).toBe(1);
      expect(repolicy.stderr).toContain(`run_mismatch: run ${runId}: the run of this ledger for 2026-11-25 exists with another policy`);
      // Neither given: the run as it stands.
      expect(asked().status).toBe(0);
    } finally {
      worker?.kill("SIGTERM");
      if (worker) await new Promise((resolve) => (worker!.exitCode !== null ? resolve(null) : worker!.once("exit", resolve)));
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("run exits 3 when a shard fails after its retries, naming it and the reason; worker --sender takes the vendor's module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-jobs-cli-"));
    const db = `pd_jobs_cli_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${db}`);
    const queue = PG_URL!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`);
    const workers: ReturnType<typeof spawn>[] = [];
    try {
      // Retries that a test can wait for: the queue is made with them before the CLI starts.
      await (await openJobs({ queue, shardSettings: { retryLimit: 1, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30 } })).close();
      // A small estate of the demo's kind, with something due on the day.
      await ensureDemoEstate(join(dir, "estate.db"), { asOf: "2026-11-25", seed: 3, residentialUnits: 150, shops: 5, historyUntil: "2026-11-01" });
      const ledger = await openLedger(`sqlite:${join(dir, "estate.db")}`, { readonly: true });
      let refused: string | undefined;
      for await (const e of plan(ledger, { asOf: "2026-11-25" })) if (!refused && e.type === "planned" && e.actions.length > 0) refused = e.accountId;
      await ledger.close();
      // The vendor's sender: a default export; it refuses one account, every time.
      writeFileSync(join(dir, "sender.mjs"), `export default async (action) => { if (action.accountId === ${JSON.stringify(refused!)}) throw new Error("the gateway refused " + action.accountId); };\n`);
      for (let i = 0; i < 2; i++) {
        const child = spawn(process.execPath, [CLI, "worker", "--queue", queue, "--sender", join(dir, "sender.mjs")], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
        workers.push(child);
        await new Promise((resolve) => child.stderr!.once("data", resolve));
      }
      const r = spawnSync(process.execPath, [CLI, "run", "--queue", queue, "--ledger", `sqlite:${join(dir, "estate.db")}`, "--as-of", "2026-11-25", "--shards", "3"], { cwd: root, encoding: "utf8", env });
      expect(r.status, r.stderr).toBe(3);
      expect(r.stdout).toMatch(/shards +2 done, 1 failed, of 3/);
      expect(r.stderr).toMatch(new RegExp(`shard \\d failed after its retries \\(in the dead-letter queue\\): the gateway refused ${refused}`));
    } finally {
      for (const w of workers) w.kill("SIGTERM");
      await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(null) : w.once("exit", resolve)))));
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
