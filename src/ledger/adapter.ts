/**
 * The one interface every ledger is read through. A vendor maps its own tables onto it (SQL
 * views are the recommended path, see docs/adapters.md).
 */
import type { Issue } from "../rules/errors.js";
import type { AccountSnapshot, RecordedAction } from "./account.js";

/** Split a ledger into `count` disjoint parts by a stable hash of the owner's id (`owner.id`), or the account id for a unit without one: an owner's units share a shard. */
export interface Shard {
  index: number;
  count: number;
}

export interface ReadOptions {
  shard?: Shard;
  /** Resume after this cursor (the `cursor` of the last entry a previous run finished; an account id alone, from a version that streamed in id order, still works: see `parseCursor`). */
  after?: string;
  /**
   * The day being planned (`YYYY-MM-DD`), which `plan()` passes: an adapter may then hand over an
   * account that is paid up on that day (its payments on or before it add up to at least every
   * charge, due or not) and has no holds without its charges, payments and actions, marked
   * `paidUp: true`: planning reads nothing of them, since nothing is due. Only where the database
   * vouches for the rows it leaves out (the SQLite and PostgreSQL ledgers' own tables, see
   * docs/adapters.md, "The paid-up fast path"); other adapters ignore it. Readers that need the
   * rows (reports) do not pass it.
   */
  paidUpOn?: string;
}

/**
 * One entry of a ledger stream: a snapshot, or a row that could not be read (reported by id and
 * reason, never silently dropped).
 */
export type LedgerEntry =
  | {
      ok: true;
      cursor: string;
      account: AccountSnapshot;
      /** Handed over without its charges, payments and actions (they are valid, and pay up everything billed on `ReadOptions.paidUpOn`). */
      paidUp?: true;
    }
  | LedgerProblem;

/**
 * An account (or a row) a ledger cannot hand over: its id (or where it is, `line 7`, when it has
 * no usable id), what is wrong as data (`issues`: `code`, `path` within the account, `message`;
 * codes in `LEDGER_ISSUE_CODES`), and `reason`, the same issues printed by
 * `formatAccountIssues` for a log line.
 */
export interface LedgerProblem {
  ok: false;
  cursor: string;
  accountId: string;
  issues: Issue[];
  reason: string;
}

/** An action the vendor carried out, to be written back into the account's action log. */
export interface ExecutedAction extends RecordedAction {
  accountId: string;
}

export interface LedgerAdapter {
  /**
   * Streams accounts in the read order (read-order.ts): by shard key (the owner's id, else the
   * account id), then by account id, so that an owner's units arrive together. `plan()` reports a
   * unit of an owner it has already passed (`out_of_order`) rather than plan it alone.
   * Each account id at most once per stream (as an account, or as a problem): `plan()` remembers
   * the previous id only, so it catches a repeat under the same key, never one under another
   * owner's key (a view joined to a co-owners table); the bundled ledgers report such an id
   * (`duplicate_account`) and stream none of its rows.
   */
  accounts(options?: ReadOptions): AsyncIterable<LedgerEntry>;
  /** Writes executed actions back. Idempotent: recording the same action id twice changes nothing. Returns how many were new. */
  record(actions: readonly ExecutedAction[]): Promise<number>;
  close(): Promise<void>;
  /**
   * How many accounts the ledger holds, where it can tell without reading them (SQLite: one
   * `COUNT`), for a progress line's total and time left. Optional: a file ledger does not say.
   */
  count?(): Promise<number>;
}
