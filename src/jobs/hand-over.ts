/**
 * Handing actions to the vendor's sender, each at most once per ledger, through the journal
 * (`pd_jobs.sent`; worker.ts says how it settles a crash and a refusal): one action at a time
 * with `send`, or a checkpoint's actions at once with a batch sender's `sendMany`.
 */
import type { PoolClient } from "pg";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { JOBS_SCHEMA } from "./store.js";

export interface SendContext {
  /** The ledger the action is for, without a password (as runs name it). */
  ledger: string;
  runId: string;
  shard: number;
  /** The planning day of the run. */
  asOf: string;
  /** The action's id, unique in its ledger: give it to your gateway as the idempotency key. */
  key: string;
}

/** Carries out one action (sends the SMS, queues the letter); resolves once it is accepted, throws when it is not. */
export type SendAction = (action: PlannedAction, context: SendContext) => unknown;

/** One action of a batch, with what `send` would be given beside it. */
export interface SendItem {
  action: PlannedAction;
  context: SendContext;
}

export interface Sender {
  send: SendAction;
  /**
   * Carries out a batch of actions at once, all or none: resolves once every one is accepted,
   * throws when none is (one statement, one bulk call). When present, a worker hands actions over
   * in batches, one per checkpoint (`checkpointEvery` accounts), instead of one `send` per action:
   * three statements on the queue database per batch instead of three per action. The outbox
   * sender has it. A sender that can accept part of a batch must not offer it: use `send`.
   */
  sendMany?: (items: readonly SendItem[]) => Promise<void>;
  /**
   * After a worker died while `send` had this action: was it accepted? (Ask your gateway by
   * `context.key`.) Without this check, such an action is handed over again with the same key.
   */
  delivered?: (action: PlannedAction, context: SendContext) => boolean | Promise<boolean>;
}

/** What the journal needs of a run: the ledger's key and the planning day. */
interface JournalledRun {
  ledger_key: string;
  as_of: string;
}

/** Hands an account's actions to the sender, each at most once per ledger (the journal: worker.ts). */
export async function handOver(client: PoolClient, run: JournalledRun, runId: string, shard: number, actions: readonly PlannedAction[], sender: Sender): Promise<void> {
  const known = new Map(
    (
      await client.query<{ action_id: string; state: string; refused_last: boolean }>(
        `SELECT action_id, state, refusals = handovers AS refused_last FROM ${JOBS_SCHEMA}.sent WHERE ledger_key = $1 AND action_id = ANY($2::text[])`,
        [run.ledger_key, actions.map((a) => a.id)],
      )
    ).rows.map((r) => [r.action_id, r]),
  );
  for (const action of actions) {
    const journalled = known.get(action.id);
    if (journalled?.state === "sent") continue;
    const context: SendContext = { ledger: run.ledger_key, runId, shard, asOf: run.as_of, key: action.id };
    if (journalled) {
      // Left `sending`: every hand-over so far refused (the sender threw, so it was not accepted),
      // or a worker died while the sender had it — only then is `delivered` worth asking.
      if (!journalled.refused_last && sender.delivered && (await sender.delivered(action, context))) {
        await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET state = 'sent', updated_on = now() WHERE ledger_key = $1 AND action_id = $2`, [run.ledger_key, action.id]);
        continue;
      }
      await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET handovers = handovers + 1, run_id = $3, shard = $4, updated_on = now() WHERE ledger_key = $1 AND action_id = $2`, [run.ledger_key, action.id, runId, shard]);
    } else {
      await client.query(
        `INSERT INTO ${JOBS_SCHEMA}.sent (ledger_key, action_id, account_id, run_id, shard, state) VALUES ($1, $2, $3, $4, $5, 'sending')`,
        [run.ledger_key, action.id, action.accountId, runId, shard],
      );
    }
    try {
      await sender.send(action, context);
    } catch (error) {
      // Refused: not accepted. Counted as such, so that the retry's hand-over is not taken for one after a dead worker.
      await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET refusals = refusals + 1, updated_on = now() WHERE ledger_key = $1 AND action_id = $2`, [run.ledger_key, action.id]);
      throw error;
    }
    await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET state = 'sent', updated_on = now() WHERE ledger_key = $1 AND action_id = $2`, [run.ledger_key, action.id]);
  }
}

/**
 * Hands a checkpoint's actions to a batch sender (`sendMany`), each at most once per ledger: the
 * journal as in {@link handOver}, one statement for each of its steps. The batch is all or none,
 * so its actions are journalled `sending` together, and `sent` together once it is accepted;
 * a worker that dies in between leaves them `sending`, for `delivered` to settle on the retry.
 */
export async function handOverMany(client: PoolClient, run: JournalledRun, runId: string, shard: number, actions: readonly PlannedAction[], sender: Required<Sender>): Promise<void> {
  const known = new Map(
    (
      await client.query<{ action_id: string; state: string; refused_last: boolean }>(
        `SELECT action_id, state, refusals = handovers AS refused_last FROM ${JOBS_SCHEMA}.sent WHERE ledger_key = $1 AND action_id = ANY($2::text[])`,
        [run.ledger_key, actions.map((a) => a.id)],
      )
    ).rows.map((r) => [r.action_id, r]),
  );
  const fresh: SendItem[] = [];
  const again: SendItem[] = [];
  for (const action of actions) {
    const journalled = known.get(action.id);
    if (journalled?.state === "sent") continue;
    const item = { action, context: { ledger: run.ledger_key, runId, shard, asOf: run.as_of, key: action.id } };
    if (!journalled) fresh.push(item);
    // Left `sending` by a worker that died while the sender had it (not by a refusal): ask first.
    else if (!journalled.refused_last && sender.delivered && (await sender.delivered(action, item.context)))
      await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET state = 'sent', updated_on = now() WHERE ledger_key = $1 AND action_id = $2`, [run.ledger_key, action.id]);
    else again.push(item);
  }
  const batch = [...fresh, ...again];
  if (batch.length === 0) return;
  const ids = (items: readonly SendItem[]) => items.map((i) => i.action.id);
  if (fresh.length > 0)
    await client.query(
      `INSERT INTO ${JOBS_SCHEMA}.sent (ledger_key, action_id, account_id, run_id, shard, state) SELECT $1, a, b, $4, $5, 'sending' FROM unnest($2::text[], $3::text[]) AS t(a, b)`,
      [run.ledger_key, ids(fresh), fresh.map((i) => i.action.accountId), runId, shard],
    );
  if (again.length > 0)
    await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET handovers = handovers + 1, run_id = $3, shard = $4, updated_on = now() WHERE ledger_key = $1 AND action_id = ANY($2::text[])`, [run.ledger_key, ids(again), runId, shard]);
  try {
    await sender.sendMany(batch);
  } catch (error) {
    // Refused, the whole batch: counted as such (see handOver).
    await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET refusals = refusals + 1, updated_on = now() WHERE ledger_key = $1 AND action_id = ANY($2::text[])`, [run.ledger_key, ids(batch)]);
    throw error;
  }
  await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET state = 'sent', updated_on = now() WHERE ledger_key = $1 AND action_id = ANY($2::text[])`, [run.ledger_key, ids(batch)]);
}
