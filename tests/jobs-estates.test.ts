/**
 * A policy per estate and segment in a pg-boss run (#18, item 2: "a policy per estate and segment,
 * chosen from the ledger"), through the built CLI, against the real PostgreSQL: `run --policy
 * <estate>/<segment>=<file>` stores the estates' policies with the run, every worker plans its
 * shards with them, and the actions sent are exactly those of the single-process `plan` with the
 * same `--policy` values, and those each estate's own policy plans for its own accounts.
 *
 * The ledger is the demo estate's kind split in two: odd-numbered flats and every shop in
 * north-park, whose flats follow examples/green-garden.json (it adds a phone call six days after
 * due and a reminder a week before, which the residential built-in lacks), even-numbered flats in
 * south-gate, which follow the residential built-in; shops follow the commercial built-in (the
 * segment's own --policy). Some owners hold two flats of one estate, far apart in id order.
 *
 * Needs PD_POSTGRES_URL and the built CLI (`npm run build`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { generateEstate, withHistory } from "../src/demo/estate.js";
import { catchUp, openJobs, scheduleNightly } from "../src/jobs/index.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { plan, type PolicyChoice } from "../src/ledger/plan.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { cliEnv, pgAdmin } from "./helpers.js";

const PG_URL = process.env.PD_POSTGRES_URL || undefined;
const root = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(root, "dist/cli.js");
const env = cliEnv({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "FORCE_COLOR")), NO_COLOR: "1" });
const AS_OF = "2026-11-25";
const ESTATE = { asOf: AS_OF, seed: 17, residentialUnits: 240, shops: 12, historyUntil: "2026-11-01" };
const POLICIES = ["--policy", "north-park/residential=examples/green-garden.json", "--policy", "south-gate/residential=residential", "--policy", "commercial=commercial"];

const greenGarden = parsePolicy(JSON.parse(readFileSync(join(root, "examples/green-garden.json"), "utf8")));
const residential = parsePolicy(builtinPolicySource("residential"), "residential");
const commercial = parsePolicy(builtinPolicySource("commercial"), "commercial");

/** Odd-numbered flats and the shops in north-park, even-numbered flats in south-gate; every 6th flat shares its owner with the flat 100 places after it (same estate: 100 is even). */
function twoEstates(): AccountSnapshot[] {
  return withHistory(generateEstate(ESTATE), ESTATE.historyUntil).map((a, i) => {
    const estate = a.segment === "commercial" || i % 2 === 1 ? "north-park" : "south-gate";
    const first = i % 6 === 0 ? i : i >= 100 && (i - 100) % 6 === 0 ? i - 100 : undefined;
    return { ...a, estate, ...(first !== undefined && a.segment !== "commercial" ? { owner: { ...a.owner, id: `O-${first}` } } : {}) };
  });
}

async function planned(accounts: readonly AccountSnapshot[], policy: PolicyChoice): Promise<PlannedAction[]> {
  const actions: PlannedAction[] = [];
  for await (const e of plan(memoryLedger(accounts), { asOf: AS_OF, policy })) if (e.type === "planned") actions.push(...e.actions);
  return actions;
}

/** What the outbox holds: every action but those carried in another unit's notice (recorded, not sent). */
const sendable = (actions: readonly PlannedAction[]) => actions.filter((a) => a.sentWith === undefined).map((a) => a.id).sort();
const stagesOf = (a: PlannedAction) => [a.stage, ...a.covers.map((c) => c.stage)];

describe.skipIf(PG_URL === undefined)("run --policy <estate>/<segment>=<file>: a policy per estate in the jobs run", () => {
  const dir = mkdtempSync(join(tmpdir(), "pd-jobs-estates-"));
  const prefix = `pd_jobs_est_${process.pid}`;
  const databases: string[] = [];
  const workers: ChildProcess[] = [];
  let accounts: AccountSnapshot[] = [];
  /** The ledger as written, never run on: each run plans a copy, since its workers record into it. */
  let pristine = "";
  const copyOfLedger = (name: string) => {
    const file = join(dir, `${name}.db`);
    copyFileSync(pristine, file);
    return file;
  };
  let expected: PlannedAction[] = [];

  const queueDb = async (name: string) => {
    const db = `${prefix}_${name}`;
    databases.push(db);
    await pgAdmin(PG_URL!, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await pgAdmin(PG_URL!, `CREATE DATABASE ${db}`);
    return PG_URL!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`);
  };
  const startWorkers = (queue: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, () => {
        const child = spawn(process.execPath, [CLI, "worker", "--queue", queue], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
        workers.push(child);
        return new Promise((resolve) => child.stderr!.once("data", resolve));
      }),
    );
  const stopWorkers = () =>
    Promise.all(
      workers.splice(0).map(
        (w) =>
          new Promise((resolve) => {
            if (w.exitCode !== null || w.signalCode !== null) return resolve(null);
            w.once("exit", resolve);
            w.kill("SIGTERM");
          }),
      ),
    );
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
  const outbox = async (queue: string) => {
    const c = new pg.Client({ connectionString: queue });
    await c.connect();
    try {
      return (await c.query<{ action_id: string }>("SELECT action_id FROM pd_jobs.outbox")).rows.map((r) => r.action_id).sort();
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    accounts = twoEstates();
    pristine = join(dir, "estates.db");
    const ledger = await sqliteLedger(pristine);
    await ledger.writeAccounts(accounts);
    await ledger.close();
    // Each estate planned alone, with its own policy: what the run must send.
    const north = accounts.filter((a) => a.estate === "north-park");
    const south = accounts.filter((a) => a.estate === "south-gate");
    expected = [...(await planned(north, { residential: greenGarden, commercial })), ...(await planned(south, { residential }))];
  }, 60_000);

  afterAll(async () => {
    await stopWorkers();
    for (const db of databases) await pgAdmin(PG_URL!, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("each estate's policy shows in its actions: north-park's flats get green-garden's phone call and reminder, south-gate's never", () => {
    const estateOf = new Map(accounts.map((a) => [a.id, a.estate]));
    const onlyGreenGarden = greenGarden.stages.map((s) => s.id).filter((id) => !residential.stages.some((s) => s.id === id));
    expect(onlyGreenGarden).toEqual(expect.arrayContaining(["first_call", "pre_due_reminder"]));
    const northFlats = expected.filter((a) => estateOf.get(a.accountId) === "north-park" && a.policy.id === "green-garden");
    const southFlats = expected.filter((a) => estateOf.get(a.accountId) === "south-gate");
    expect(northFlats.some((a) => stagesOf(a).includes("first_call"))).toBe(true);
    expect(southFlats.length).toBeGreaterThan(10);
    expect(southFlats.flatMap(stagesOf).filter((s) => onlyGreenGarden.includes(s))).toEqual([]);
    expect(new Set(southFlats.map((a) => a.policy.id))).toEqual(new Set(["residential"]));
  });

  it("two workers, three shards: the outbox holds exactly the single-process plan --policy <estate>/… actions, each once, and each estate's own", async () => {
    const ledgerFile = copyOfLedger("two");
    const single = cli("plan", "--ledger", `sqlite:${ledgerFile}`, "--as-of", AS_OF, ...POLICIES, "--format", "json");
    expect(single.status, single.stderr).toBe(0);
    const singleIds = sendable(JSON.parse(single.stdout) as PlannedAction[]);
    expect(singleIds).toEqual(sendable(expected));

    const queue = await queueDb("two");
    await startWorkers(queue, 2);
    const run = cli("run", "--queue", queue, "--ledger", `sqlite:${ledgerFile}`, "--as-of", AS_OF, "--shards", "3", ...POLICIES);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/shards +3 done, 0 failed, of 3/);
    expect(run.stdout).toMatch(new RegExp(`accounts +${accounts.length} planned, 0 skipped`));
    expect(await outbox(queue)).toEqual(singleIds);

    // The same day with other policies per estate: the run that stands is not replanned otherwise.
    const other = cli("run", "--queue", queue, "--ledger", `sqlite:${ledgerFile}`, "--as-of", AS_OF, "--policy", "north-park/residential=residential", "--policy", "south-gate/residential=residential", "--policy", "commercial=commercial");
    expect(other.status, other.stderr).toBe(1);
    expect(other.stderr).toContain("run_mismatch");
    expect(other.stderr).toContain("other policies per estate");
    // The same day with the segments' policies alone: asking for no estate's policy is asking for other policies too.
    const segmentsOnly = cli("run", "--queue", queue, "--ledger", `sqlite:${ledgerFile}`, "--as-of", AS_OF, "--policy", "residential=residential", "--policy", "commercial=commercial");
    expect(segmentsOnly.status, segmentsOnly.stderr).toBe(1);
    expect(segmentsOnly.stderr).toContain("other policies per estate");
    await stopWorkers();
  }, 180_000);

  it("an estate given no policy, and no policy for its segment: its accounts are skipped (no_policy), never planned with a built-in; the run exits 3", async () => {
    const copy = copyOfLedger("north-only");
    const queue = await queueDb("north");
    await startWorkers(queue, 1);
    const run = cli("run", "--queue", queue, "--ledger", `sqlite:${copy}`, "--as-of", AS_OF, "--shards", "2", "--policy", "north-park/residential=examples/green-garden.json", "--policy", "commercial=commercial");
    await stopWorkers();
    const south = accounts.filter((a) => a.estate === "south-gate");
    expect(run.status, run.stderr).toBe(3);
    expect(run.stdout).toMatch(new RegExp(`accounts +${accounts.length - south.length} planned, ${south.length} skipped`));
    expect(run.stderr).toContain(`estate "south-gate" has no policy`);
    const sent = await outbox(queue);
    expect(sent.filter((id) => south.some((a) => id.startsWith(`${a.id}:`)))).toEqual([]);
    expect(sent).toEqual(sendable(expected.filter((a) => !south.some((s) => s.id === a.accountId))));
  }, 180_000);

  it("a nightly schedule keeps the estates' policies, and the run it starts carries them", async () => {
    const queue = await queueDb("nightly");
    const estates = { "north-park": { residential: greenGarden }, "south-gate": { residential } };
    await scheduleNightly({ queue }, { name: "group", ledger: `sqlite:${pristine}`, shards: 2, policy: { commercial }, estates });
    // 2026-11-25 10:00 in Shanghai: the night owed is the 25th's.
    const [started] = await catchUp({ queue }, new Date("2026-11-25T02:00:00Z"));
    expect(started).toMatchObject({ created: true, shards: 2 });
    const c = new pg.Client({ connectionString: queue });
    await c.connect();
    try {
      const [row] = (await c.query("SELECT as_of, trigger, policy, estates FROM pd_jobs.run")).rows;
      expect(row).toEqual({ as_of: "2026-11-25", trigger: "catch-up", policy: JSON.parse(JSON.stringify({ commercial })), estates: JSON.parse(JSON.stringify(estates)) });
    } finally {
      await c.end();
    }
  }, 60_000);

  it("a queue database made before runs stored estates keeps its runs: the column is added in place", async () => {
    const queue = await queueDb("old");
    const c = new pg.Client({ connectionString: queue });
    await c.connect();
    try {
      // pd_jobs.run as it was made before (de46f5e), with a run in it.
      await c.query(`CREATE SCHEMA pd_jobs; CREATE TABLE pd_jobs.run (id text PRIMARY KEY, ledger text NOT NULL, ledger_key text NOT NULL, as_of text NOT NULL, shards integer NOT NULL CHECK (shards >= 1), policy jsonb, trigger text NOT NULL, created_on timestamptz NOT NULL DEFAULT now(), UNIQUE (ledger_key, as_of))`);
      await c.query(`INSERT INTO pd_jobs.run (id, ledger, ledger_key, as_of, shards, policy, trigger) VALUES ('old-run', 'sqlite:old.db', 'sqlite:old.db', '2026-11-24', 2, NULL, 'manual')`);
      await (await openJobs({ queue, engine: { schedule: false, supervise: false } })).close();
      expect((await c.query("SELECT id, as_of, shards, estates FROM pd_jobs.run")).rows).toEqual([{ id: "old-run", as_of: "2026-11-24", shards: 2, estates: null }]);
    } finally {
      await c.end();
    }
  }, 60_000);

  it("docs/scale-out.md's estate group runs as printed: the recipe's ledger, one worker, a policy per estate", async () => {
    const block = /<!-- estates walk-through -->\n```sh\n([\s\S]*?)```/.exec(readFileSync(join(root, "docs/scale-out.md"), "utf8"))?.[1];
    expect(block).toBeDefined();
    mkdirSync(join(root, "out"), { recursive: true });
    const r = spawnSync("bash", ["-c", `set -e\n${block}`], { cwd: root, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(0);
    // docs/recipes.md, "An estate group with several estates": six accounts, none skipped (west-gate follows the residential --policy).
    expect(output).toMatch(/accounts +6 planned, 0 skipped/);
  }, 120_000);
});
