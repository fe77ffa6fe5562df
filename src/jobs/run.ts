/**
 * A run: one ledger planned for one day as N shard jobs (a stable hash of the account id, as
 * `plan()` shards). Starting a run is one transaction: the run's row, its shards' rows and the
 * shard jobs commit together or not at all, and a run that exists for the ledger and day is
 * returned as it is — a retried or duplicated scheduling never queues a shard twice.
 */
import type pg from "pg";
import { checkShard } from "../adapters/common.js";
import type { EstatePolicies, PolicyChoice } from "../ledger/plan.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import { openJobs, SHARD_QUEUE, stableUuid, type JobsConnectionOptions, type JobsContext } from "./context.js";
import { JOBS_SCHEMA, inTransaction, ledgerKeyOf } from "./store.js";
import { JobsError } from "./errors.js";

export type RunTrigger = "manual" | "schedule" | "catch-up";

export interface RunRequest {
  /** The ledger, as `openLedger` reads it: `sqlite:PATH`, `postgres://…`, a JSON or JSON Lines file. Every worker must be able to open it by this name. */
  ledger: string;
  /** The planning day, `YYYY-MM-DD` in the policy's time zone. */
  asOf: string;
  /** Shard jobs (default 1): workers take one shard each at a time. */
  shards?: number;
  /** Default: each account's segment's built-in. Stored with the run as JSON. With `estates`: the policy of a segment in an estate `estates` does not cover (as `plan()` reads its `policy`). */
  policy?: PolicyChoice;
  /** A policy per estate and segment, chosen by the account's `estate`, as `plan()` takes its `estates`: an account of an estate with no policy for its segment, and none in `policy`, is skipped (`no_policy`). Stored with the run as JSON. */
  estates?: EstatePolicies;
  trigger?: RunTrigger;
}

export interface StartedRun {
  runId: string;
  /** False when a run for this ledger and day existed already: nothing was queued. (One with other `shards`, another `policy` or other `estates` than asked is refused: JobsError `run_mismatch`.) */
  created: boolean;
  /** The run's shard count (the existing run's, when not created). */
  shards: number;
}

/** At most this many shards per run: each is a job, a row and a worker's turn. */
export const MAX_SHARDS = 1024;

/** The run id of a ledger and day: the same on every machine, so a duplicate finds its original. */
export function runIdOf(ledger: string, asOf: string): string {
  return stableUuid("run", ledgerKeyOf(ledger), asOf);
}

/** The job id of a shard of a run. */
export function shardJobIdOf(runId: string, shard: number, count: number): string {
  return stableUuid("shard", runId, String(shard), String(count));
}

/** Starts a run on an open context (see {@link startRun}). */
export async function startRunOn(context: JobsContext, request: RunRequest): Promise<StartedRun> {
  const asOf = formatCivilDate(civilDate(request.asOf));
  const shards = request.shards ?? 1;
  if (!Number.isSafeInteger(shards) || shards < 1 || shards > MAX_SHARDS) throw new JobsError("invalid_option", `shards must be a whole number in 1…${MAX_SHARDS} (got ${String(shards)})`);
  checkShard({ index: 0, count: shards });
  const ledgerKey = ledgerKeyOf(request.ledger);
  const runId = runIdOf(request.ledger, asOf);
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const created = await inTransaction(context.pool, async (client, rollback) => {
    const inserted = await client.query(
      `INSERT INTO ${JOBS_SCHEMA}.run (id, ledger, ledger_key, as_of, shards, policy, estates, trigger) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (ledger_key, as_of) DO NOTHING RETURNING id`,
      [runId, request.ledger, ledgerKey, asOf, shards, json(request.policy), json(request.estates), request.trigger ?? "manual"],
    );
    if (inserted.rowCount === 0) {
      rollback();
      return false;
    }
    const jobs = Array.from({ length: shards }, (_, shard) => ({
      id: shardJobIdOf(runId, shard, shards),
      // pg-boss's singleton key: (ledger, day, shard), one job of it at a time.
      singletonKey: `${ledgerKey}|${asOf}|${shard}/${shards}`,
      data: { runId, shard },
    }));
    await client.query(
      `INSERT INTO ${JOBS_SCHEMA}.shard (run_id, shard, job_id) SELECT $1, s, j FROM unnest($2::integer[], $3::uuid[]) AS t(s, j)`,
      [runId, jobs.map((_, i) => i), jobs.map((j) => j.id)],
    );
    await context.engine.send(SHARD_QUEUE, jobs, client);
    return true;
  });
  if (created) return { runId, created: true, shards };
  const existing = await context.pool.query<{ id: string; shards: number; same_policy: boolean; same_estates: boolean }>(
    `SELECT id, shards, policy IS NOT DISTINCT FROM $3::jsonb AS same_policy, estates IS NOT DISTINCT FROM $4::jsonb AS same_estates FROM ${JOBS_SCHEMA}.run WHERE ledger_key = $1 AND as_of = $2`,
    [ledgerKey, asOf, json(request.policy), json(request.estates)],
  );
  const row = existing.rows[0]!;
  // Asked for something the run that stands does not do: say so, never plan it otherwise in silence.
  // Policies asked for are the whole choice: a segment's policy alone asks for no estate's (and the other way round).
  const policiesAsked = request.policy !== undefined || request.estates !== undefined;
  const differs = [
    ...(request.shards !== undefined && request.shards !== row.shards ? [`${row.shards} shards, not ${request.shards}`] : []),
    ...(policiesAsked && !row.same_policy ? ["another policy"] : []),
    ...(policiesAsked && !row.same_estates ? ["other policies per estate"] : []),
  ];
  if (differs.length > 0)
    throw new JobsError("run_mismatch", `run ${row.id}: the run of this ledger for ${asOf} exists with ${differs.join(" and ")}; a run is one per ledger and day, so it stands as it is (ask for it without --shards/--policy to wait for it)`);
  return { runId: row.id, created: false, shards: row.shards };
}

/**
 * Queues a run: `shards` jobs that any worker (`startWorker`, `property-dunning worker`) takes.
 * Idempotent per ledger and day: a second call returns the first run, `created: false`.
 *
 * @example
 * const { runId } = await startRun({ queue: "postgres://…/estate", ledger: "sqlite:/data/estate.db", asOf: "2026-12-07", shards: 8 });
 * const outcome = await waitForRun({ queue: "postgres://…/estate" }, runId);
 */
export async function startRun(options: JobsConnectionOptions & RunRequest): Promise<StartedRun> {
  const context = await openJobs({ ...options, engine: { ...options.engine, schedule: false, supervise: false } });
  try {
    return await startRunOn(context, options);
  } finally {
    await context.close();
  }
}

export interface ShardFailure {
  shard: number;
  /** What the last attempt failed with (the sender's error, a ledger that cannot be opened, or the timeout of a killed worker). */
  reason: string;
}

/** Where a run stands, from the rows of the queue database. */
export interface RunProgress {
  runId: string;
  /** The ledger, without a password. */
  ledger: string;
  asOf: string;
  trigger: RunTrigger;
  shards: { total: number; done: number; failed: number; pending: number };
  /** Shards that took more than one attempt, and the attempts beyond the first in all. */
  retriedShards: number;
  retries: number;
  accounts: { planned: number; skipped: number };
  actions: {
    /** Actions the sender accepted in this run. */
    sent: number;
    /** Of those, handed over more than once because a worker died between handing one over and noting it sent (and the sender has no `delivered` check). */
    handedOverAgain: number;
    /** Of those, accepted on a later attempt after the sender had refused them (thrown). */
    sentAfterRefusal: number;
    /** Refused by the sender on their last hand-over, so not sent (their shard failed or waits for its retry). */
    refused: number;
  };
  /** Shards whose retries are spent (each is in the dead-letter queue), with why. */
  failures: ShardFailure[];
  /** Every shard done or failed. */
  finished: boolean;
}

interface ShardRow {
  shard: number;
  job_id: string;
  state: "queued" | "active" | "done" | "failed";
  accounts_planned: string;
  accounts_skipped: string;
  attempts: number;
  error: string | null;
}

/** A run's progress on an open context (see {@link runProgress}). */
export async function runProgressOn(context: JobsContext, runId: string): Promise<RunProgress> {
  const pool: pg.Pool = context.pool;
  const run = (await pool.query<{ ledger_key: string; as_of: string; trigger: RunTrigger }>(`SELECT ledger_key, as_of, trigger FROM ${JOBS_SCHEMA}.run WHERE id = $1`, [runId])).rows[0];
  if (!run) throw new JobsError("unknown_run", `no run ${runId} in this queue database`);
  const shards = (await pool.query<ShardRow>(`SELECT shard, job_id, state, accounts_planned, accounts_skipped, attempts, error FROM ${JOBS_SCHEMA}.shard WHERE run_id = $1 ORDER BY shard`, [runId])).rows;
  const sent = (await pool.query<{ sent: string; again: string; after_refusal: string; refused: string }>(
    `SELECT count(*) FILTER (WHERE state = 'sent') AS sent, count(*) FILTER (WHERE state = 'sent' AND handovers - refusals > 1) AS again,
       count(*) FILTER (WHERE state = 'sent' AND refusals > 0) AS after_refusal, count(*) FILTER (WHERE state = 'sending' AND refusals = handovers) AS refused
     FROM ${JOBS_SCHEMA}.sent WHERE run_id = $1`,
    [runId],
  )).rows[0]!;
  // A shard whose last attempt died with its worker never wrote its failure: the engine knows.
  const open = shards.filter((s) => s.state !== "done" && s.state !== "failed");
  const states = open.length > 0 ? await context.engine.states(SHARD_QUEUE, open.map((s) => s.job_id)) : new Map();
  const failures: ShardFailure[] = [];
  let done = 0;
  for (const s of shards) {
    if (s.state === "done") done++;
    else if (s.state === "failed") failures.push({ shard: s.shard, reason: s.error ?? "failed" });
    else if (states.get(s.job_id)?.state === "failed") failures.push({ shard: s.shard, reason: s.error ?? states.get(s.job_id)?.error ?? "failed" });
  }
  const total = shards.length;
  return {
    runId,
    ledger: run.ledger_key,
    asOf: run.as_of,
    trigger: run.trigger,
    shards: { total, done, failed: failures.length, pending: total - done - failures.length },
    retriedShards: shards.filter((s) => s.attempts > 1).length,
    retries: shards.reduce((n, s) => n + Math.max(0, s.attempts - 1), 0),
    accounts: { planned: shards.reduce((n, s) => n + Number(s.accounts_planned), 0), skipped: shards.reduce((n, s) => n + Number(s.accounts_skipped), 0) },
    actions: { sent: Number(sent.sent), handedOverAgain: Number(sent.again), sentAfterRefusal: Number(sent.after_refusal), refused: Number(sent.refused) },
    failures,
    finished: done + failures.length === total,
  };
}

/** Where run `runId` stands: shards done/failed/pending, accounts planned and skipped, actions sent, retries, failures. */
export async function runProgress(options: JobsConnectionOptions, runId: string): Promise<RunProgress> {
  const context = await openJobs({ ...options, engine: { ...options.engine, schedule: false, supervise: false } });
  try {
    return await runProgressOn(context, runId);
  } finally {
    await context.close();
  }
}

/** The accounts a run skipped, with why (`limit` first, in account id order). */
export async function skippedAccountsOn(context: JobsContext, runId: string, limit = 100): Promise<{ accountId: string; reason: string }[]> {
  const { rows } = await context.pool.query<{ account_id: string; reason: string }>(
    `SELECT account_id, reason FROM ${JOBS_SCHEMA}.skipped WHERE run_id = $1 ORDER BY account_id COLLATE "C" LIMIT $2`,
    [runId, limit],
  );
  return rows.map((r) => ({ accountId: r.account_id, reason: r.reason }));
}

export interface WaitOptions {
  /** Give up after this long (default: wait for ever). */
  timeoutMs?: number;
  /** How often to look (default 1 s). */
  pollMs?: number;
  onProgress?: (progress: RunProgress) => void;
}

/** Waits until every shard of the run is done or failed, and returns its outcome; on timeout, rejects with the progress so far. */
export async function waitForRunOn(context: JobsContext, runId: string, options: WaitOptions = {}): Promise<RunProgress> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  for (;;) {
    const progress = await runProgressOn(context, runId);
    options.onProgress?.(progress);
    if (progress.finished) return progress;
    if (Date.now() > deadline) throw Object.assign(new JobsError("run_timeout", `run ${runId}: not finished after ${options.timeoutMs} ms (${progress.shards.done}/${progress.shards.total} shards done)`), { progress });
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

export async function waitForRun(options: JobsConnectionOptions, runId: string, wait: WaitOptions = {}): Promise<RunProgress> {
  const context = await openJobs({ ...options, engine: { ...options.engine, schedule: false, supervise: false } });
  try {
    return await waitForRunOn(context, runId, wait);
  } finally {
    await context.close();
  }
}
