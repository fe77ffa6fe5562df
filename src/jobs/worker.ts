/**
 * A worker: takes shard jobs, plans each shard from its ledger, hands every action to the
 * vendor's sender, records what was sent in the ledger, and keeps the shard's cursor, so that an
 * attempt after a crash resumes where the last one left off.
 *
 * Idempotent by action id, end to end. Before an action is handed over, the journal (`pd_jobs.sent`)
 * notes it `sending`; once the sender returns, `sent`. An action journalled `sent` is never handed
 * over again — not by a retry, a duplicate job, nor another run of the same ledger, before, after
 * or at the same time (two days' plans share actions until one is recorded). One `sending` is the
 * attempt's that wrote it while that attempt lives (its shard lock is held): another attempt that
 * comes to it waits. One left `sending` by an attempt that is gone (the worker died while the
 * sender had it) is settled by the sender's `delivered` check when it has one; without one, it is
 * handed over again under the same key (the action id, the idempotency key to give your gateway),
 * and the run counts it (`handedOverAgain`). A send that throws was refused, not lost: counted
 * apart (`refusals`), handed over again on the retry without asking `delivered`, and reported as
 * `sentAfterRefusal` or `refused`. The ledger records an action on the day of the run that sent it.
 * Two workers never plan one shard at once: each holds a PostgreSQL advisory lock on its shard
 * for as long as its connection lives (a killed worker's lock goes with its connection). An
 * attempt keeps its job's lease while it makes progress, so a long shard is not taken for dead; a
 * worker handed a shard that another still plans waits for it rather than failing (lockShard).
 */
import type { PoolClient } from "pg";
import { openLedger } from "../adapters/open.js";
import type { ExecutedAction } from "../ledger/adapter.js";
import { plan, toRecorded, type EstatePolicies, type PlanOptions, type PolicyChoice } from "../ledger/plan.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { openJobs, SHARD_QUEUE, type JobsConnectionOptions, type JobsContext } from "./context.js";
import type { EngineJob } from "./engine.js";
import { watchSchedules } from "./schedule.js";
import { JOBS_SCHEMA } from "./store.js";
import { JobsError } from "./errors.js";
import { handOver, handOverMany, type SendAction, type Sender, type WaitForHolder } from "./hand-over.js";
import { ShardTally } from "./tally.js";

export type { Sender, SendAction, SendContext, SendItem } from "./hand-over.js";

export interface WorkerOptions extends JobsConnectionOptions {
  sender: Sender | SendAction;
  /** Shard jobs this process plans at once (default 1; one core plans one shard). */
  concurrency?: number;
  /** Accounts between two saves of a shard's cursor and counts (default 500): a retry re-plans at most this many, sending none of their actions twice. */
  checkpointEvery?: number;
  /** Take part in the nightly schedules: work their cron jobs and catch up a missed night (default true). */
  schedules?: boolean;
  /** A line for the log: a shard begun, done or failed. */
  log?: (line: string) => void;
}

export interface RunningWorker {
  /** Stops taking jobs, lets the shards in hand finish (up to `timeoutMs`), closes the connections. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

interface ShardJobData {
  runId: string;
  shard: number;
}

/**
 * Thrown when the worker stops while it waits for another worker (for the shard, or for actions
 * the shard shares with another run): the attempt is handed back (release), no retry spent.
 */
class ShardBusy extends Error {
  constructor(
    /** Why it stopped waiting, for the log. */
    readonly why: string,
    /** What handing it back does: a shard not begun is handed back unplanned; one begun resumes from its last checkpoint. */
    readonly handedBack: string,
  ) {
    super(why);
  }
}

/**
 * The lease of one attempt: renewed as the shard makes progress (an account planned, an action
 * handed over), at most every third of the lease, in pg-boss (the job stays active) and in the
 * shard's row (`updated_on`, which a worker waiting for the shard watches).
 */
function leaseOf(client: PoolClient, job: EngineJob<ShardJobData>) {
  const everyMs = (job.expireInSeconds * 1000) / 3;
  let last = Date.now();
  return {
    async renew(force = false) {
      if (!force && Date.now() - last < everyMs) return;
      last = Date.now();
      await job.keepAlive();
      await client.query(`UPDATE ${JOBS_SCHEMA}.shard SET updated_on = now() WHERE run_id = $1 AND shard = $2`, [job.data.runId, job.data.shard]);
    },
  };
}

type Lease = ReturnType<typeof leaseOf>;

/** One turn of waiting for another worker: what it is waited for, in the log's words. */
interface Turn {
  /** Seconds since the other worker made progress (undefined: not known, never taken for stuck). */
  idleSeconds: number | undefined;
  /** What the other holds, for the stalled reason ("another worker holds it"). */
  holds: string;
  /** What the other is doing, for the log line said once ("another worker is planning it"). */
  doing: string;
  /** Why a stop came while waiting, and what handing the shard back then does (ShardBusy). */
  why: string;
  handedBack: string;
}

/**
 * How an attempt waits for another worker (for its shard, or for actions another run's worker is
 * handing over), one turn per call: a holder with no progress for a whole lease is stuck, which
 * fails the attempt (`shard_stalled`); a worker told to stop hands the shard back (ShardBusy);
 * otherwise it says once that it waits, keeps its own lease and pauses.
 */
function waiting(job: EngineJob<ShardJobData>, label: string, log: (line: string) => void, keepAlive: () => Promise<void>, pauseMs: number) {
  let said = false;
  return async (turn: Turn): Promise<void> => {
    if (turn.idleSeconds !== undefined && turn.idleSeconds > job.expireInSeconds)
      throw new JobsError("shard_stalled", `${label}: ${turn.holds} and has made no progress for ${Math.round(turn.idleSeconds)} s`);
    if (job.signal.aborted) throw new ShardBusy(turn.why, turn.handedBack);
    if (!said) log(`${label}: ${turn.doing}; waiting for it`);
    said = true;
    await keepAlive();
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  };
}

/** Waiting for actions another live attempt holds (another run of the same ledger handing them over now), as {@link waiting} does. */
function waitForHolder(job: EngineJob<ShardJobData>, lease: Lease, label: string, log: (line: string) => void): WaitForHolder {
  const turn = waiting(job, label, log, () => lease.renew(), 250);
  return (holder) => {
    const other = `run ${holder.runId} shard ${holder.shard}`;
    return turn({
      idleSeconds: holder.idleSeconds ?? holder.waitedSeconds,
      holds: `${other} holds actions of this ledger`,
      doing: `${other} is handing over actions this shard shares`,
      why: `stopping while ${other} hands over actions this shard shares`,
      handedBack: "handed back, to resume from its last checkpoint",
    });
  };
}

/**
 * Takes the shard's advisory lock, or waits for it. Another worker holding it is planning the
 * shard (its attempt outlived a lease, or a duplicate came): that is no failure, so this attempt
 * waits, keeping its own lease, for as long as the holder makes progress, and then resumes from
 * the holder's cursor (or finds the shard done). A holder with no progress for a whole lease is
 * stuck: that fails the attempt, with that reason. Returns false when the shard is done.
 */
async function lockShard(client: PoolClient, job: EngineJob<ShardJobData>, label: string, log: (line: string) => void): Promise<boolean> {
  const { runId, shard } = job.data;
  const turn = waiting(job, label, log, () => job.keepAlive(), Math.min(1000, (job.expireInSeconds * 1000) / 3));
  for (;;) {
    if ((await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), $2) AS ok", [runId, shard])).rows[0]!.ok) return true;
    const row = (await client.query<{ state: string; idle: number }>(`SELECT state, extract(epoch FROM now() - updated_on)::float8 AS idle FROM ${JOBS_SCHEMA}.shard WHERE run_id = $1 AND shard = $2`, [runId, shard])).rows[0];
    if (row?.state === "done") return false;
    await turn({ idleSeconds: row?.idle, holds: "another worker holds it", doing: "another worker is planning it", why: "stopping while another worker plans it", handedBack: "handed back unplanned" });
  }
}

/**
 * Starts a worker in this process.
 *
 * @example
 * const worker = await startWorker({
 *   queue: process.env.QUEUE_URL!,
 *   concurrency: 2,
 *   sender: async (action, { key }) => await sms.send(action, { idempotencyKey: key }),
 * });
 * process.on("SIGTERM", () => void worker.stop());
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new JobsError("invalid_option", `concurrency must be a whole number ≥ 1 (got ${String(concurrency)})`);
  const sender: Sender = typeof options.sender === "function" ? { send: options.sender } : options.sender;
  const log = options.log ?? (() => undefined);
  const context = await openJobs({ ...options, engine: { maxConnections: concurrency + 3, onError: (error) => log(`queue: ${error.message}`), ...options.engine } });
  let stopSchedules: (() => Promise<void>) | undefined;
  try {
    await context.engine.work<ShardJobData>(SHARD_QUEUE, concurrency, (job) => planShard(context, job, sender, options.checkpointEvery ?? 500, log));
    if (options.schedules !== false) stopSchedules = await watchSchedules(context, log);
  } catch (error) {
    await context.close({ timeoutMs: 1000 });
    throw error;
  }
  return {
    async stop(stopOptions = {}) {
      await stopSchedules?.();
      await context.close(stopOptions);
    },
  };
}

interface RunRow {
  ledger: string;
  ledger_key: string;
  as_of: string;
  shards: number;
  policy: PolicyChoice | null;
  estates: EstatePolicies | null;
}

interface ShardState {
  state: string;
  cursor: string | null;
  accounts_planned: string;
  accounts_skipped: string;
}

/** One attempt at one shard. */
async function planShard(context: JobsContext, job: EngineJob<ShardJobData>, sender: Sender, checkpointEvery: number, log: (line: string) => void): Promise<void> {
  const { runId, shard } = job.data;
  const label = `run ${runId} shard ${shard}`;
  const client = await context.pool.connect();
  let locked = false;
  try {
    locked = await lockShard(client, job, label, log);
    if (!locked) return;
    const run = (await client.query<RunRow>(`SELECT ledger, ledger_key, as_of, shards, policy, estates FROM ${JOBS_SCHEMA}.run WHERE id = $1`, [runId])).rows[0];
    if (!run) throw new JobsError("unknown_shard", `${label}: no such run in the queue database`);
    const state = (await client.query<ShardState>(
      `UPDATE ${JOBS_SCHEMA}.shard SET state = CASE WHEN state = 'done' THEN state ELSE 'active' END, attempts = attempts + CASE WHEN state = 'done' THEN 0 ELSE 1 END, updated_on = now()
       WHERE run_id = $1 AND shard = $2 RETURNING state, cursor, accounts_planned, accounts_skipped`,
      [runId, shard],
    )).rows[0];
    if (!state) throw new JobsError("unknown_shard", `${label}: no such shard`);
    // A duplicate of a shard that is done: nothing to plan, nothing to send.
    if (state.state === "done") return;
    log(`${label}: planning ${state.cursor === null ? "from the start" : `after ${state.cursor}`} (attempt ${job.retryCount + 1})`);
    const lease = leaseOf(client, job);
    const outcome = await planFromCursor(client, run, runId, shard, state, sender, checkpointEvery, lease, waitForHolder(job, lease, label, log));
    log(`${label}: done, ${outcome.planned} accounts planned, ${outcome.skipped} skipped`);
  } catch (error) {
    if (error instanceof ShardBusy) {
      // A clean stop, not a failure: the job goes back without spending a retry.
      const outcome = await job.release();
      if (outcome === "handedBack") log(`${label}: ${error.handedBack} (${error.why}); no retry spent`);
      else if (outcome === "failed") log(`${label}: ${error.why}; could not hand it back (another job of its singleton key waits in retry), failed it instead`);
      else log(`${label}: ${error.why}; nothing handed back: its lease was lost, the job is another attempt's`);
      return;
    }
    if (error instanceof JobsError && error.code === "lease_lost") {
      // The shard is another attempt's now: its row and its job are left to that attempt.
      log(`${label}: stopped: ${error.message}`);
      throw error;
    }
    const final = job.retryCount >= job.retryLimit;
    const reason = error instanceof Error ? error.message : String(error);
    await client
      .query(`UPDATE ${JOBS_SCHEMA}.shard SET state = $3, error = $4, updated_on = now() WHERE run_id = $1 AND shard = $2 AND state <> 'done'`, [runId, shard, final ? "failed" : "queued", reason])
      .catch(() => undefined);
    log(`${label}: ${final ? "failed for good (to the dead-letter queue)" : "failed, to be retried"}: ${reason}`);
    throw error;
  } finally {
    // A connection that could not give its shard lock back is closed, not pooled: a lock it kept would make the shard, and the actions it holds, look taken.
    const unlocked = !locked || (await client.query("SELECT pg_advisory_unlock(hashtext($1), $2)", [runId, shard]).then(() => true, () => false));
    client.release(!unlocked);
  }
}

/** What the run's row asks plan() for: the same options `plan --policy …` gives it, shard and cursor aside. */
function planOptionsOf(run: Pick<RunRow, "as_of" | "policy" | "estates">): PlanOptions {
  return { asOf: run.as_of, ...(run.policy ? { policy: run.policy } : {}), ...(run.estates ? { estates: run.estates } : {}) };
}

async function planFromCursor(client: PoolClient, run: RunRow, runId: string, shard: number, state: ShardState, sender: Sender, checkpointEvery: number, lease: Lease, wait: WaitForHolder) {
  const ledger = await openLedger(run.ledger);
  // The counts a checkpoint saves are those of the accounts behind the cursor it saves (tally.ts): a retry counts each account once.
  const tally = new ShardTally({ cursor: state.cursor, planned: Number(state.accounts_planned), skipped: Number(state.accounts_skipped) });
  let cursor = state.cursor;
  let sinceCheckpoint = 0;
  // What was handed over waits here for the ledger until the next checkpoint: one write per
  // checkpoint, not one per account. Written before the cursor moves past it; were a worker to die
  // in between, the retry plans those accounts again, the journal sends none of it twice, and it
  // is recorded then.
  let unrecorded: PlannedAction[] = [];
  // With a batch sender, what is to be handed over waits here for the next checkpoint too.
  let unsent: PlannedAction[] = [];
  // Actions another run sent first (the journal says which): recorded on that run's day, not this
  // one's, and so is what they carried (`sentWith`). An owner's units are never split between
  // checkpoints (below), so a notice is handed over by the checkpoint that records what it carries.
  const sentOn = new Map<string, string>();
  const noteSent = (found: Map<string, string>) => {
    for (const [id, on] of found) if (on !== run.as_of) sentOn.set(id, on);
  };
  const checkpoint = async (done: boolean) => {
    if (unsent.length > 0) {
      noteSent(await handOverMany(client, run, runId, shard, unsent, sender as Required<Sender>, wait));
      unsent = [];
    }
    if (unrecorded.length > 0) {
      await ledger.record(unrecorded.map((a): ExecutedAction => toRecorded(a, sentOn.get(a.sentWith ?? a.id) ?? run.as_of)));
      unrecorded = [];
      sentOn.clear();
    }
    const saved = done ? { cursor, ...tally.counts } : tally.checkpoint(cursor ?? "");
    await client.query(
      `UPDATE ${JOBS_SCHEMA}.shard SET cursor = $3, accounts_planned = $4, accounts_skipped = $5, state = $6, error = CASE WHEN $6 = 'done' THEN NULL ELSE error END, updated_on = now() WHERE run_id = $1 AND shard = $2`,
      [runId, shard, saved.cursor, saved.planned, saved.skipped, done ? "done" : "active"],
    );
  };
  try {
    const options = { ...planOptionsOf(run), shard: { index: shard, count: run.shards }, ...(cursor !== null ? { after: cursor } : {}) };
    for await (const event of plan(tally.tap(ledger), options)) {
      tally.note(event);
      if (event.type === "skipped") {
        await client.query(`INSERT INTO ${JOBS_SCHEMA}.skipped (run_id, account_id, shard, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [runId, event.accountId, shard, event.reason]);
      } else {
        if (event.actions.length > 0) {
          // An action carried in another unit's owner notice (`sentWith`) is recorded, never sent: the notice is.
          const toSend = event.actions.filter((a) => a.sentWith === undefined);
          if (sender.sendMany) unsent.push(...toSend);
          else if (toSend.length > 0) noteSent(await handOver(client, run, runId, shard, toSend, sender, wait));
          // The ledger learns what was done (at the next checkpoint), so that tomorrow's plan does not repeat it.
          unrecorded.push(...event.actions);
        }
      }
      // Within an owner's units the cursor stays before the owner (plan()): a checkpoint waits for
      // the cursor to move past it, so that a notice and what it carries are recorded together.
      const pastOwner = event.cursor !== (cursor ?? "");
      cursor = event.cursor;
      await lease.renew();
      if (++sinceCheckpoint >= checkpointEvery && pastOwner) {
        sinceCheckpoint = 0;
        await checkpoint(false);
      }
    }
    await checkpoint(true);
    return tally.counts;
  } finally {
    await ledger.close();
  }
}
