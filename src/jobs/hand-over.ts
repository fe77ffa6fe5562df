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

/** The attempt that holds an action journalled `sending`: its run and shard, and how long since that shard made progress (null: no such shard). */
export interface Holder {
  runId: string;
  shard: number;
  idleSeconds: number | null;
  /** How long this attempt has waited for these actions so far. */
  waitedSeconds: number;
}

/**
 * Called while another live attempt holds actions this one is to hand over (it is handing them
 * over now): waits a little and returns, keeping this attempt's lease, or throws to give the
 * attempt up (the holder has stalled, the worker is stopping).
 */
export type WaitForHolder = (holder: Holder) => Promise<void>;

/** What one pass over the journal gave an attempt of the actions it is to hand over. */
interface Claim {
  /** Journalled `sending` by this attempt: to hand over now (for the first time, or again after an attempt that died or was refused). */
  items: SendItem[];
  /** Already sent (by this run or another), with the planning day of the run that sent it: the day the ledger records. */
  sentOn: Map<string, string>;
  /** In another live attempt's hands (`holder`), or taken over by another attempt in the meantime: to look at again. */
  held: string[];
  holder?: Omit<Holder, "waitedSeconds">;
}

/**
 * One pass over the journal for actions this attempt is to hand over. An action not in it is
 * journalled `sending` here; one journalled `sent` is left alone; one left `sending` belongs to
 * the attempt that wrote it for as long as that attempt lives, which its shard's advisory lock
 * tells (worker.ts): while the lock is held, the action is `held` (two runs of one ledger share
 * actions, and may plan them at the same time); once it is free, the action is taken over, and
 * handed over again unless the sender's `delivered` says it went out.
 */
async function claim(client: PoolClient, run: JournalledRun, runId: string, shard: number, actions: ReadonlyMap<string, PlannedAction>, sender: Sender): Promise<Claim> {
  const itemOf = (id: string): SendItem => ({ action: actions.get(id)!, context: { ledger: run.ledger_key, runId, shard, asOf: run.as_of, key: id } });
  const claimed: Claim = { items: [], sentOn: new Map(), held: [] };
  // In one order (the ids'), so that two attempts claiming at once never each wait for the other.
  const ids = [...actions.keys()].sort();
  const inserted = await client.query<{ action_id: string }>(
    `INSERT INTO ${JOBS_SCHEMA}.sent (ledger_key, action_id, account_id, run_id, shard, state)
     SELECT $1, a, b, $4, $5, 'sending' FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(a, b, n) ORDER BY n
     ON CONFLICT DO NOTHING RETURNING action_id`,
    [run.ledger_key, ids, ids.map((id) => actions.get(id)!.accountId), runId, shard],
  );
  const fresh = new Set(inserted.rows.map((r) => r.action_id));
  // Handed over in the order planned.
  claimed.items.push(...[...actions.keys()].filter((id) => fresh.has(id)).map(itemOf));
  const known = ids.filter((id) => !fresh.has(id));
  if (known.length === 0) return claimed;
  const rows = (
    await client.query<{ action_id: string; state: string; run_id: string; shard: number; run_as_of: string | null }>(
      `SELECT s.action_id, s.state, s.run_id, s.shard, r.as_of AS run_as_of FROM ${JOBS_SCHEMA}.sent s LEFT JOIN ${JOBS_SCHEMA}.run r ON r.id = s.run_id WHERE s.ledger_key = $1 AND s.action_id = ANY($2::text[])`,
      [run.ledger_key, known],
    )
  ).rows;
  const runDay = new Map(rows.map((r) => [r.action_id, r.run_as_of ?? run.as_of]));
  const holders = new Map<string, { runId: string; shard: number; ids: string[] }>();
  for (const row of rows) {
    if (row.state === "sent") claimed.sentOn.set(row.action_id, runDay.get(row.action_id)!);
    else {
      const key = `${row.shard}:${row.run_id}`;
      const holder = holders.get(key) ?? { runId: row.run_id, shard: row.shard, ids: [] };
      holder.ids.push(row.action_id);
      holders.set(key, holder);
    }
  }
  for (const holder of holders.values()) {
    // Free when the holder's connection is gone (a dead worker), or when it is this attempt's own shard (a lock this session holds is taken again).
    const probe = (
      await client.query<{ free: boolean; idle: number | null }>(
        `SELECT pg_try_advisory_lock(hashtext($1), $2) AS free, (SELECT extract(epoch FROM now() - updated_on)::float8 FROM ${JOBS_SCHEMA}.shard WHERE run_id = $1 AND shard = $2) AS idle`,
        [holder.runId, holder.shard],
      )
    ).rows[0]!;
    if (!probe.free) {
      claimed.holder = { runId: holder.runId, shard: holder.shard, idleSeconds: probe.idle };
      claimed.held.push(...holder.ids);
      continue;
    }
    await client.query("SELECT pg_advisory_unlock(hashtext($1), $2)", [holder.runId, holder.shard]);
    // Taken over unless another attempt took it first (then it is looked at again).
    const taken = (
      await client.query<{ action_id: string; refused_last: boolean }>(
        `UPDATE ${JOBS_SCHEMA}.sent SET run_id = $3, shard = $4, updated_on = now() WHERE ledger_key = $1 AND action_id = ANY($2::text[]) AND state = 'sending' AND run_id = $5 AND shard = $6
         RETURNING action_id, refusals = handovers AS refused_last`,
        [run.ledger_key, holder.ids, runId, shard, holder.runId, holder.shard],
      )
    ).rows;
    const takenIds = new Set(taken.map((r) => r.action_id));
    claimed.held.push(...holder.ids.filter((id) => !takenIds.has(id)));
    const again: string[] = [];
    for (const { action_id: id, refused_last } of taken) {
      const item = itemOf(id);
      // Every hand-over so far refused (the sender threw, so it was not accepted), or a worker died while the sender had it: only then is `delivered` worth asking.
      if (!refused_last && sender.delivered && (await sender.delivered(item.action, item.context))) {
        await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET state = 'sent', updated_on = now() WHERE ledger_key = $1 AND action_id = $2`, [run.ledger_key, id]);
        claimed.sentOn.set(id, runDay.get(id)!);
      } else {
        again.push(id);
        claimed.items.push(item);
      }
    }
    if (again.length > 0) await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET handovers = handovers + 1, updated_on = now() WHERE ledger_key = $1 AND action_id = ANY($2::text[])`, [run.ledger_key, again]);
  }
  return claimed;
}

/**
 * Claims the actions and hands over what it claimed (`deliver`), pass after pass, until none is
 * left in another attempt's hands. It waits only once what it claimed is handed over, holding
 * nothing, so that two attempts never wait for each other. Returns the actions found already
 * sent, with the day of the run that sent them.
 */
async function claimAndDeliver(client: PoolClient, run: JournalledRun, runId: string, shard: number, actions: readonly PlannedAction[], sender: Sender, wait: WaitForHolder, deliver: (items: SendItem[]) => Promise<void>): Promise<Map<string, string>> {
  const all = new Map(actions.map((a) => [a.id, a]));
  const sentOn = new Map<string, string>();
  let pending: ReadonlyMap<string, PlannedAction> = all;
  let waitingSince: number | undefined;
  while (pending.size > 0) {
    const claimed = await claim(client, run, runId, shard, pending, sender);
    for (const [id, on] of claimed.sentOn) sentOn.set(id, on);
    if (claimed.items.length > 0) await deliver(claimed.items);
    if (claimed.holder) {
      waitingSince ??= Date.now();
      await wait({ ...claimed.holder, waitedSeconds: (Date.now() - waitingSince) / 1000 });
    }
    pending = new Map(claimed.held.map((id) => [id, all.get(id)!]));
  }
  return sentOn;
}

/**
 * Hands what was claimed to `send`, then journals it `sent`. A send that throws was refused, not
 * accepted: counted as such (`refusals`), so that the retry's hand-over is not taken for one
 * after a dead worker, and passed on.
 */
function journalling(client: PoolClient, run: JournalledRun, send: (items: SendItem[]) => Promise<unknown>) {
  return async (items: SendItem[]): Promise<void> => {
    const ids = items.map((i) => i.action.id);
    try {
      await send(items);
    } catch (error) {
      await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET refusals = refusals + 1, updated_on = now() WHERE ledger_key = $1 AND action_id = ANY($2::text[])`, [run.ledger_key, ids]);
      throw error;
    }
    await client.query(`UPDATE ${JOBS_SCHEMA}.sent SET state = 'sent', updated_on = now() WHERE ledger_key = $1 AND action_id = ANY($2::text[])`, [run.ledger_key, ids]);
  };
}

/**
 * Hands an account's actions to the sender, one `send` each, each at most once per ledger (the
 * journal: worker.ts). Returns the actions found already sent, with the day of the run that sent them.
 */
export async function handOver(client: PoolClient, run: JournalledRun, runId: string, shard: number, actions: readonly PlannedAction[], sender: Sender, wait: WaitForHolder): Promise<Map<string, string>> {
  const sentOn = new Map<string, string>();
  const sendOne = journalling(client, run, async ([item]) => await sender.send(item!.action, item!.context));
  // One at a time: an action is journalled `sending` only as it is handed over, so that a refusal leaves the others unclaimed.
  for (const action of actions) for (const [id, on] of await claimAndDeliver(client, run, runId, shard, [action], sender, wait, sendOne)) sentOn.set(id, on);
  return sentOn;
}

/**
 * Hands a checkpoint's actions to a batch sender (`sendMany`), each at most once per ledger: the
 * journal as in {@link handOver}, one statement for each of its steps. A batch is all or none,
 * so its actions are journalled `sending` together, and `sent` together once it is accepted (a
 * refusal counts for each); a worker that dies in between leaves them `sending`, for `delivered`
 * to settle on the retry. Actions another attempt is handing over are waited for, and go in a
 * batch of their own if that attempt dies first.
 */
export async function handOverMany(client: PoolClient, run: JournalledRun, runId: string, shard: number, actions: readonly PlannedAction[], sender: Required<Sender>, wait: WaitForHolder): Promise<Map<string, string>> {
  return claimAndDeliver(client, run, runId, shard, actions, sender, wait, journalling(client, run, (items) => sender.sendMany(items)));
}
