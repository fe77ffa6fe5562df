/**
 * Issue 17's acceptance, against the real PostgreSQL and pg-boss 10, with worker *processes*: a
 * ledger planned as a run by 1, 2 and 3 workers sends exactly the single-process plan's actions,
 * each once; a worker SIGKILLed mid-shard is retried and nothing is sent twice or lost; a shard
 * that always fails ends in the dead-letter queue while the others finish; a run queued twice, or
 * a schedule caught up twice or after missed nights, plans nothing twice.
 *
 * Each worker is a child process (`node --import tsx`) running `startWorker` with a sender that
 * appends one line per action it is handed (`action id <tab> pid`) to a file: the vendor's
 * callback, counted. Each case has its own queue database and its own copy of the ledger
 * (tests/jobs-harness.ts).
 *
 * Needs PD_POSTGRES_URL (scripts/start-postgres.sh prints it): without it the cases are skipped,
 * except in CI, where its absence fails.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger } from "../src/adapters/open.js";
import { catchUp, deadLetters, lastNightOf, openJobs, runProgress, scheduleNightly, startRun, waitForRun, type RunProgress } from "../src/jobs/index.js";
import { plan } from "../src/ledger/plan.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import { shardOf } from "../src/ledger/shard.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { AS_OF, harness, PG_URL, type Harness } from "./jobs-harness.js";

const IN_CI = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";
if (PG_URL === undefined && !IN_CI) console.warn("jobs.test.ts: PD_POSTGRES_URL is not set, so these cases are SKIPPED. Run them with: export PD_POSTGRES_URL=$(scripts/start-postgres.sh)");

const SHARDS = 3;
/** Quick retries; an attempt is taken for dead after 30 s (the cases that kill a worker shorten it to 8 s, still far above a shard's time here, even on a loaded machine). */
const SETTINGS = { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30 };
const KILLED = { expireInSeconds: 8 };

describe.runIf(PG_URL === undefined && IN_CI)("pg-boss runs in CI", () => {
  it("needs a PostgreSQL server: set PD_POSTGRES_URL (scripts/start-postgres.sh prints it)", () => {
    throw new Error("CI is set but PD_POSTGRES_URL is not: start the server with scripts/start-postgres.sh and export its URL");
  });
});

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "pg-boss runs — SKIPPED: PD_POSTGRES_URL is not set" : "the nightly run as pg-boss jobs", () => {
  let h: Harness;
  let expected: string[] = [];
  let accountIds: string[] = [];
  const sorted = (ids: readonly string[]) => [...ids].sort();
  const duplicates = (ids: readonly string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

  beforeAll(async () => {
    h = await harness();
    ({ expected, accountIds } = h);
  }, 60_000);

  afterAll(async () => h?.close(), 60_000);

  it("the ledger has work in every shard (so that the cases below can fail)", () => {
    expect(expected.length).toBeGreaterThan(30);
    for (let s = 0; s < SHARDS; s++) expect(expected.some((id) => shardOf(id.slice(0, id.indexOf(":")), SHARDS) === s), `shard ${s}`).toBe(true);
  });

  for (const workers of [1, 2, 3]) {
    it(`${workers} worker process${workers > 1 ? "es" : ""}: exactly the single-process plan's actions, each sent once, and the run says so`, async () => {
      const s = await h.scenario(`w${workers}`);
      const procs = await h.startWorkers(workers, s.queue, s.sentFile);
      const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: SHARDS, shardSettings: SETTINGS });
      expect(started).toMatchObject({ created: true, shards: SHARDS });
      const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 250, timeoutMs: 60_000 });
      await h.stopWorkers(procs);
      const sent = h.sent(s.sentFile).map(([id]) => id);
      expect(duplicates(sent)).toEqual([]);
      expect(sorted(sent)).toEqual(expected);
      expect(outcome).toMatchObject<Partial<RunProgress>>({
        shards: { total: SHARDS, done: SHARDS, failed: 0, pending: 0 },
        accounts: { planned: accountIds.length, skipped: 0 },
        actions: { sent: expected.length, handedOverAgain: 0, sentAfterRefusal: 0, refused: 0 },
        retries: 0,
        failures: [],
        finished: true,
      });
      // What was sent is recorded in the ledger: planning the day again finds nothing left to do.
      const ledger = await openLedger(s.ledger, { readonly: true });
      let again = 0;
      for await (const e of plan(ledger, { asOf: AS_OF })) if (e.type === "planned") again += e.actions.length;
      await ledger.close();
      expect(again).toBe(0);
    }, 90_000);
  }

  it("a worker SIGKILLed mid-shard: the shard is retried from its cursor by another worker, nothing is sent twice or lost, and the run reports the retry", async () => {
    const s = await h.scenario("kill");
    // The doomed worker hangs after handing over its 7th action (written, not yet journalled as sent).
    const [doomed] = await h.startWorkers(1, s.queue, s.sentFile, { hangAfter: 7, hungFile: s.hungFile });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: SHARDS, shardSettings: { ...SETTINGS, ...KILLED } });
    for (let waited = 0; !existsSync(s.hungFile); waited += 50) {
      if (waited > 30_000) throw new Error("the doomed worker never reached its 7th action");
      await new Promise((r) => setTimeout(r, 50));
    }
    const before = await runProgress({ queue: s.queue }, started.runId);
    expect(before.shards.done).toBeLessThan(SHARDS);
    doomed!.kill("SIGKILL");
    await new Promise((r) => doomed!.once("exit", r));
    const [rescuer] = await h.startWorkers(1, s.queue, s.sentFile);
    const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 250, timeoutMs: 60_000 });
    await h.stopWorkers([rescuer!]);
    const sent = h.sent(s.sentFile);
    expect(duplicates(sent.map(([id]) => id))).toEqual([]);
    expect(sorted(sent.map(([id]) => id))).toEqual(expected);
    // Both processes sent some: what the killed one handed over stands, the rescuer sent the rest.
    expect(sent.filter(([, pid]) => pid === String(doomed!.pid)).length).toBe(7);
    expect(sent.filter(([, pid]) => pid === String(rescuer!.pid)).length).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ shards: { total: SHARDS, done: SHARDS, failed: 0 }, retriedShards: 1, failures: [], finished: true });
    expect(outcome.retries).toBeGreaterThanOrEqual(1);
    expect(outcome.actions).toEqual({ sent: expected.length, handedOverAgain: 0, sentAfterRefusal: 0, refused: 0 });
    expect(outcome.accounts).toEqual({ planned: accountIds.length, skipped: 0 });
  }, 120_000);

  it("a batch sender (sendMany, as the outbox) killed after accepting a batch, before it is journalled sent: the retry asks delivered, sends nothing twice and loses nothing", async () => {
    const s = await h.scenario("killbatch");
    const [doomed] = await h.startWorkers(1, s.queue, s.sentFile, { batch: true, hangAfter: 1, hungFile: s.hungFile });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: SHARDS, shardSettings: { ...SETTINGS, ...KILLED } });
    for (let waited = 0; !existsSync(s.hungFile); waited += 50) {
      if (waited > 30_000) throw new Error("the doomed worker never handed a batch over");
      await new Promise((r) => setTimeout(r, 50));
    }
    doomed!.kill("SIGKILL");
    await new Promise((r) => doomed!.once("exit", r));
    const [rescuer] = await h.startWorkers(1, s.queue, s.sentFile, { batch: true });
    const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 250, timeoutMs: 60_000 });
    await h.stopWorkers([rescuer!]);
    const sent = h.sent(s.sentFile);
    expect(duplicates(sent.map(([id]) => id))).toEqual([]);
    expect(sorted(sent.map(([id]) => id))).toEqual(expected);
    expect(sent.filter(([, pid]) => pid === String(doomed!.pid)).length).toBeGreaterThan(0);
    expect(sent.filter(([, pid]) => pid === String(rescuer!.pid)).length).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ shards: { total: SHARDS, done: SHARDS, failed: 0 }, retriedShards: 1, failures: [], finished: true });
    expect(outcome.actions).toEqual({ sent: expected.length, handedOverAgain: 0, sentAfterRefusal: 0, refused: 0 });
  }, 120_000);

  it("a worker killed on a shard's last attempt: the shard expires into the dead-letter queue, and the run reports it from the engine's state", async () => {
    const s = await h.scenario("lastkill");
    const [doomed] = await h.startWorkers(1, s.queue, s.sentFile, { hangAfter: 1, hungFile: s.hungFile });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: SHARDS, shardSettings: { ...SETTINGS, ...KILLED, retryLimit: 0 } });
    for (let waited = 0; !existsSync(s.hungFile); waited += 50) {
      if (waited > 30_000) throw new Error("the doomed worker never handed an action over");
      await new Promise((r) => setTimeout(r, 50));
    }
    doomed!.kill("SIGKILL");
    await new Promise((r) => doomed!.once("exit", r));
    // Nobody wrote the failure: the shard's row still says active; pg-boss's state is the truth.
    const [other] = await h.startWorkers(1, s.queue, s.sentFile);
    const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 250, timeoutMs: 60_000 });
    await h.stopWorkers([other!]);
    expect(outcome.shards).toEqual({ total: SHARDS, done: SHARDS - 1, failed: 1, pending: 0 });
    expect(outcome.failures).toEqual([{ shard: expect.any(Number), reason: expect.stringContaining("timeout") }]);
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(duplicates(sent)).toEqual([]);
  }, 120_000);

  it("shards that fail every time end in the dead-letter queue with the reason; the run reports them, the other shard completes, and no action is sent twice", async () => {
    const s = await h.scenario("dead");
    const accountOf = (id: string) => id.slice(0, id.indexOf(":"));
    const shardOfAction = (id: string) => shardOf(accountOf(id), SHARDS);
    // Two accounts with an action due, in two shards: the gateway refuses the first's; the second's
    // goes out, but the ledger refuses to record it (a trigger), so each retry plans it again.
    const refused = accountOf(expected.find((id) => shardOfAction(id) === 0)!);
    const unrecorded = expected.filter((id) => shardOfAction(id) === 1)[2]!;
    const ledgerDb = new Database(s.ledger.slice("sqlite:".length));
    ledgerDb.exec(`CREATE TRIGGER refuse BEFORE INSERT ON actions WHEN NEW.account_id = '${accountOf(unrecorded)}' BEGIN SELECT RAISE(ABORT, 'the ledger refused ${accountOf(unrecorded)}'); END`);
    ledgerDb.close();
    const procs = await h.startWorkers(2, s.queue, s.sentFile, { refuse: { account: refused } });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: SHARDS, shardSettings: SETTINGS });
    const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 250, timeoutMs: 60_000 });
    await h.stopWorkers(procs);
    expect(outcome.shards).toEqual({ total: SHARDS, done: 1, failed: 2, pending: 0 });
    expect(outcome.failures).toEqual([
      { shard: 0, reason: `the gateway refused ${refused}` },
      { shard: 1, reason: expect.stringContaining(`the ledger refused ${accountOf(unrecorded)}`) },
    ]);
    expect(outcome.finished).toBe(true);
    // Three attempts each (the first and retryLimit 2 more).
    expect(outcome).toMatchObject({ retriedShards: 2, retries: 2 * SETTINGS.retryLimit });
    const context = await openJobs({ queue: s.queue, engine: { schedule: false, supervise: false } });
    try {
      const dead = await deadLetters(context);
      expect(dead.map((d) => [d.runId, d.shard]).sort()).toEqual([
        [started.runId, 0],
        [started.runId, 1],
      ]);
      expect(dead.find((d) => d.shard === 0)!.reason).toBe(`the gateway refused ${refused}`);
    } finally {
      await context.close();
    }
    const sent = h.sent(s.sentFile).map(([id]) => id);
    // Planned three times, handed over once: the journal knows it went out.
    expect(sent.filter((id) => id === unrecorded)).toEqual([unrecorded]);
    expect(duplicates(sent)).toEqual([]);
    // The shard that did not fail: every action once.
    expect(sorted(sent.filter((id) => shardOfAction(id) === 2))).toEqual(expected.filter((id) => shardOfAction(id) === 2));
    expect(sent.some((id) => accountOf(id) === refused)).toBe(false);
    expect(outcome.actions.sent).toBe(sent.length);
    // The refused account's first action, refused on each of the three attempts: refused, never taken for a hand-over after a dead worker.
    expect(outcome.actions).toMatchObject({ handedOverAgain: 0, sentAfterRefusal: 0, refused: 1 });
  }, 120_000);

  it("a run queued twice at once, and a schedule caught up twice or after missed nights, plans nothing twice", async () => {
    const s = await h.scenario("twice");
    const request = { queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: SHARDS, shardSettings: SETTINGS };
    const both = await Promise.all([startRun(request), startRun(request)]);
    expect(both.map((r) => r.created).sort()).toEqual([false, true]);
    expect(both[0]!.runId).toBe(both[1]!.runId);
    // The same day again, with another shard count or another policy: the first run stands, and the request is refused as such.
    const refusal = (error: unknown) => ({ code: (error as { code?: string }).code, message: (error as Error).message });
    expect(await startRun({ ...request, shards: 5 }).then(() => undefined, refusal)).toEqual({ code: "run_mismatch", message: expect.stringContaining(`exists with ${SHARDS} shards, not 5`) });
    expect(await startRun({ ...request, policy: parsePolicy(builtinPolicySource("commercial")) }).then(() => undefined, refusal)).toEqual({ code: "run_mismatch", message: expect.stringContaining("another policy") });
    // Without shards (a waiter, say): the run as it stands.
    const { shards: _, ...unsharded } = request;
    expect(await startRun(unsharded)).toEqual({ runId: both[0]!.runId, created: false, shards: SHARDS });
    expect(await h.rowsOf(s.queue, "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'pd-shard'")).toEqual([{ n: SHARDS }]);
    // No worker yet: a waiter with a limit gives up as the library's error, with where the run stood; the run goes on.
    const gaveUp = await waitForRun({ queue: s.queue }, both[0]!.runId, { pollMs: 50, timeoutMs: 200 }).then(() => undefined, (error: unknown) => error as { code?: string; progress?: RunProgress });
    expect(gaveUp).toMatchObject({ name: "JobsError", code: "run_timeout", progress: { shards: { done: 0, total: SHARDS } } });

    // The nightly schedule, 02:00 Asia/Shanghai by default. On 2026-11-25 at 10:00 in Shanghai the night owed is the 25th's (the run above).
    await scheduleNightly({ queue: s.queue }, { name: "estate", ledger: s.ledger, shards: SHARDS });
    const at = (iso: string) => new Date(iso);
    expect(await catchUp({ queue: s.queue }, at("2026-11-25T02:00:00Z"))).toEqual([]);
    expect(await catchUp({ queue: s.queue }, at("2026-11-25T02:00:00Z"))).toEqual([]);
    // Workers down from the 26th to the 28th, back at 09:00 on the 28th: one run, for the 28th — not three.
    const caught = await catchUp({ queue: s.queue }, at("2026-11-28T01:00:00Z"));
    expect(caught).toHaveLength(1);
    expect(await catchUp({ queue: s.queue }, at("2026-11-28T01:30:00Z"))).toEqual([]);
    expect(await h.rowsOf(s.queue, "SELECT as_of, trigger, shards FROM pd_jobs.run ORDER BY as_of")).toEqual([
      { as_of: "2026-11-25", trigger: "manual", shards: SHARDS },
      { as_of: "2026-11-28", trigger: "catch-up", shards: SHARDS },
    ]);

    // Both runs worked by two workers: each action once, over the two days.
    const procs = await h.startWorkers(2, s.queue, s.sentFile);
    await waitForRun({ queue: s.queue }, both[0]!.runId, { pollMs: 250, timeoutMs: 60_000 });
    await waitForRun({ queue: s.queue }, caught[0]!.runId, { pollMs: 250, timeoutMs: 60_000 });
    await h.stopWorkers(procs);
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(duplicates(sent)).toEqual([]);
    for (const id of expected) expect(sent).toContain(id);
  }, 120_000);

  it("the night owed is the last time the cron came round, in the schedule's zone", () => {
    // 02:00 in Shanghai is 18:00 UTC the day before.
    expect(lastNightOf("0 2 * * *", "Asia/Shanghai", new Date("2026-12-06T17:59:59Z"))).toBe("2026-12-06");
    expect(lastNightOf("0 2 * * *", "Asia/Shanghai", new Date("2026-12-06T18:00:00Z"))).toBe("2026-12-07");
    // The night clocks go forward in Berlin (01:30 CET is 00:30 UTC).
    expect(lastNightOf("30 1 * * *", "Europe/Berlin", new Date("2026-03-29T00:29:59Z"))).toBe("2026-03-28");
    expect(lastNightOf("30 1 * * *", "Europe/Berlin", new Date("2026-03-29T00:30:00Z"))).toBe("2026-03-29");
  });
});

/**
 * Owners of several units: plan() plans an owner's units together, and every event of the owner
 * but the last carries the cursor just before the owner's first unit (so that a retry reads the
 * whole owner again). With six units an owner and a checkpoint every 5 events, most checkpoints
 * fall inside an owner, so the cursor a killed worker saved lags behind the events it counted.
 * The retry plans those units again; the run must still count each account once (it counted
 * them twice before the tally of src/jobs/tally.ts).
 */
describe.skipIf(PG_URL === undefined)("a worker killed mid-shard in a ledger of owners with several units", () => {
  let h: Harness;
  /** Every flat has an owner of six: R-0001's is O-0, and so are the flats 40, 80, … places after it (owners far apart in id order come together in the read order). */
  const owners = (accounts: AccountSnapshot[]) => {
    let flat = 0;
    return accounts.map((a) => (a.segment === "commercial" ? a : { ...a, owner: { ...a.owner, id: `O-${flat++ % 40}` } }));
  };

  beforeAll(async () => {
    h = await harness({ adjust: owners });
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it("the shard is retried and the run reports each account of each shard once: planned + skipped is the shard's accounts in the ledger", async () => {
    const s = await h.scenario("killowners");
    // From the ledger: how many accounts each shard holds (the adapter shards by owner).
    const inShard: number[] = [];
    const ledger = await openLedger(s.ledger, { readonly: true });
    for (let shard = 0; shard < SHARDS; shard++) {
      let n = 0;
      for await (const _ of ledger.accounts({ shard: { index: shard, count: SHARDS } })) n++;
      inShard.push(n);
    }
    let owned = 0;
    for await (const e of ledger.accounts()) if (e.ok && e.account.owner?.id !== undefined) owned++;
    await ledger.close();
    expect(inShard.reduce((a, b) => a + b, 0)).toBe(h.accountIds.length);
    expect(owned).toBe(240); // the harness estate's 240 flats, 40 owners of six

    const [doomed] = await h.startWorkers(1, s.queue, s.sentFile, { hangAfter: 7, hungFile: s.hungFile });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: SHARDS, shardSettings: { ...SETTINGS, ...KILLED } });
    for (let waited = 0; !existsSync(s.hungFile); waited += 50) {
      if (waited > 30_000) throw new Error("the doomed worker never reached its 7th action");
      await new Promise((r) => setTimeout(r, 50));
    }
    // The killed attempt saved a checkpoint past the first owner's unit (a checkpoint every 5 accounts, 7 actions handed over).
    const [killedAt] = await h.rowsOf(s.queue, `SELECT shard, cursor, accounts_planned::int AS planned FROM pd_jobs.shard WHERE state = 'active'`);
    doomed!.kill("SIGKILL");
    await new Promise((r) => doomed!.once("exit", r));
    const [rescuer] = await h.startWorkers(1, s.queue, s.sentFile);
    const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 250, timeoutMs: 60_000 });
    await h.stopWorkers([rescuer!]);
    expect(outcome).toMatchObject({ shards: { total: SHARDS, done: SHARDS, failed: 0 }, retriedShards: 1, failures: [], finished: true });
    const rows = await h.rowsOf(s.queue, `SELECT shard, accounts_planned::int AS planned, accounts_skipped::int AS skipped, attempts FROM pd_jobs.shard ORDER BY shard`);
    expect(rows.map((r) => (r.planned as number) + (r.skipped as number)), `${JSON.stringify({ killedAt, rows })}\n${h.logs()}`).toEqual(inShard);
    expect(rows.find((r) => (r.attempts as number) > 1)?.shard).toBe(killedAt?.shard);
    expect(outcome.accounts).toEqual({ planned: h.accountIds.length, skipped: 0 });
    // And, as ever: every action of the single-process plan, each sent once.
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(sent.filter((id, i) => sent.indexOf(id) !== i)).toEqual([]);
    expect([...sent].sort()).toEqual(h.expected);
  }, 120_000);
});
