/**
 * Small pieces the bundled adapters share: the read order (../ledger/read-order.ts), shard
 * checks, and idempotent merging of recorded actions. Loads no driver.
 */
import { formatIssues, InvalidArgumentError, PropertyDunningError, type Issue } from "../rules/errors.js";
import { formatAccountIssues, ledgerIssue, type AccountSnapshot, type RecordedAction } from "../ledger/account.js";
import { checkRecordedAction, isObject } from "../ledger/check-account.js";
import { isCivilDate } from "../schedule/time/civil-date.js";
import { shardOf } from "../ledger/shard.js";
import type { ExecutedAction, LedgerProblem, ReadOptions, Shard } from "../ledger/adapter.js";

export { compareIds, shardKeyOf } from "../ledger/read-order.js";

/** Checks read options (shard and cursor), throwing an `InvalidArgumentError` that names the problem. */
export function checkReadOptions(options: ReadOptions): void {
  if (options.after !== undefined && typeof options.after !== "string") throw new InvalidArgumentError("invalid_option", "after", `after must be a cursor string (got ${typeof options.after})`);
  // The SQL ledgers compare it with the stored dates as text, so it must be one.
  if (options.paidUpOn !== undefined && !(typeof options.paidUpOn === "string" && isCivilDate(options.paidUpOn)))
    throw new InvalidArgumentError("invalid_date", "paidUpOn", `paidUpOn must be a date YYYY-MM-DD (got ${JSON.stringify(options.paidUpOn) ?? "undefined"})`);
  checkShard(options.shard);
}

/** Checks a shard option, throwing an `InvalidArgumentError` that names the problem. */
export function checkShard(shard: Shard | undefined): void {
  if (shard === undefined) return;
  const { index, count } = shard;
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError("invalid_number", "shard.count", `shard.count must be a positive integer (got ${String(count)})`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count)
    throw new InvalidArgumentError("invalid_number", "shard.index", `shard.index must be an integer in 0…${count - 1} (got ${String(index)})`);
}

/** True when `accountId` (an account's shard key, {@link shardKeyOf}) belongs to `shard` (always, without a shard). */
export function inShard(accountId: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || shardOf(accountId, shard.count) === shard.index;
}

/**
 * Entries that cannot be placed in the read order (no usable id) are reported first, with cursor
 * `""`, and only to shard 0, so that a set of shards reports each exactly once and a run resumed
 * with any `after` does not report them again.
 */
export const UNORDERED_CURSOR = "";

export { isObject };

/** Why a raw snapshot cannot be streamed as an account, or `undefined` when it can. */
export function snapshotProblem(raw: unknown): Issue | undefined {
  if (!isObject(raw)) return ledgerIssue("invalid_type", "", `must be an object (got ${raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw})`);
  if (typeof raw.id !== "string" || raw.id.length === 0) return ledgerIssue("invalid_id", "id", `must be a non-empty string (got ${JSON.stringify(raw.id) ?? "undefined"})`);
  return undefined;
}

/** The ledger entry of an account (or a row) that cannot be handed over: its issues, and them printed. */
export function ledgerProblem(cursor: string, accountId: string, issues: Issue[]): LedgerProblem {
  return { ok: false, cursor, accountId, issues, reason: formatAccountIssues(accountId, issues) };
}

/**
 * What is wrong with the actions handed to `record()`, each issue at its place (`actions[3].on`):
 * an account id, and everything `normalizeAccount` will later demand of a recorded action (the
 * same check, {@link checkRecordedAction}), so that nothing stored can make its account unusable.
 */
export function executedIssues(actions: readonly unknown[]): Issue[] {
  const issues: Issue[] = [];
  if (!Array.isArray(actions)) return [ledgerIssue("invalid_type", "actions", "must be an array of actions")];
  actions.forEach((a: unknown, i) => {
    const at = `actions[${i}]`;
    if (isObject(a) && (typeof a.accountId !== "string" || a.accountId.length === 0))
      issues.push(ledgerIssue("invalid_id", `${at}.accountId`, `must be a non-empty string (got ${JSON.stringify(a.accountId) ?? "undefined"})`));
    checkRecordedAction(a, at, issues);
  });
  return issues;
}

/** Checks the actions handed to `record()`: throws a {@link RecordError} listing every problem, so that nothing of a bad batch is stored. */
export function checkExecuted(actions: readonly ExecutedAction[]): void {
  const issues = executedIssues(actions);
  if (issues.length > 0) throw new RecordError(issues);
}

/**
 * `record()` refused its actions, storing none of them: `issues` says where and why
 * (`actions[3].on: must be a date YYYY-MM-DD (got "2026-02-30")`; codes in `LEDGER_ISSUE_CODES`).
 */
export class RecordError extends PropertyDunningError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    super("invalid_actions", `record: nothing recorded (${issues.length} problem${issues.length === 1 ? "" : "s"})\n${formatIssues(issues, "  ")}`);
    this.name = "RecordError";
    this.issues = issues;
  }
}

export function isRecordError(error: unknown): error is RecordError {
  return error instanceof RecordError;
}

export function isLedgerWriteError(error: unknown): error is LedgerWriteError {
  return error instanceof LedgerWriteError;
}

export function isLedgerFileError(error: unknown): error is LedgerFileError {
  return error instanceof LedgerFileError;
}

/** What a {@link LedgerError} can say about a ledger as a whole, by `code`. */
export const LEDGER_ERROR_CODES = {
  unknown_ledger: "a ledger spec that openLedger does not know (not sqlite:…, postgres://…, .json, .jsonl)",
  cannot_open: "a ledger that cannot be opened or prepared (no such file, a refused connection, missing tables)",
  missing_tables: "a PostgreSQL ledger opened read-only without its accounts, charges, payments or actions table or view",
  missing_driver: "the optional peer dependency a ledger needs (better-sqlite3, pg) is not installed",
  ledger_closed: "a ledger used after close()",
  read_only: "record() or writeAccounts() on a ledger opened read-only",
  read_failed: "the database stopped a read half-way (the message says after which account)",
} as const;
export type LedgerErrorCode = keyof typeof LEDGER_ERROR_CODES;

/**
 * A ledger that cannot be used at all (unknown, unopenable, closed, read-only for a write, a read
 * the database stopped): not an account's problem, so it is thrown, never streamed as a
 * {@link LedgerProblem}. The database's own error is `cause`.
 */
export class LedgerError extends PropertyDunningError {
  declare readonly code: LedgerErrorCode;
  constructor(code: LedgerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "LedgerError";
  }
}

export function isLedgerError(error: unknown): error is LedgerError {
  return error instanceof LedgerError;
}

/**
 * `writeAccounts()` refused its accounts, writing none of them: each one without a usable id (or
 * not an object) at `accounts[i]…`.
 */
export class LedgerWriteError extends PropertyDunningError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    super("invalid_accounts", issues.map((i) => `writeAccounts: ${i.path}: ${i.message}`).join("\n"));
    this.name = "LedgerWriteError";
    this.issues = issues;
  }
}

/** Checks the accounts handed to `writeAccounts()` before any is written: a {@link LedgerWriteError} naming every bad one. */
export function checkAccountsToWrite(accounts: readonly unknown[]): void {
  const issues: Issue[] = [];
  accounts.forEach((a, i) => {
    const problem = snapshotProblem(a);
    if (problem !== undefined) issues.push({ ...problem, path: `accounts[${i}]${problem.path ? `.${problem.path}` : ""}` });
  });
  if (issues.length > 0) throw new LedgerWriteError(issues);
}

/**
 * A ledger that cannot be read at all (a JSON file that does not parse, a sidecar line that is
 * not an action, an account's `actions` that `record()` cannot append to): nothing can be planned
 * from it, so it is an error (the CLI exits 1), not an account's problem.
 */
export class LedgerFileError extends PropertyDunningError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("invalid_ledger", message);
    this.name = "LedgerFileError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The recorded-action part of an executed action, as a ledger stores it (drops `accountId`, copies `covers`); a planned action becomes an executed one by `toRecorded` (plan.ts). */
export function recordedActionOf(a: ExecutedAction): RecordedAction {
  const r: RecordedAction = { id: a.id, stage: a.stage, on: a.on };
  if (a.covers !== undefined) r.covers = [...a.covers];
  // The channels used count toward frequency caps; a conversation starts the quiet period.
  if (a.channels !== undefined) r.channels = [...a.channels];
  if (a.conversation !== undefined) r.conversation = a.conversation;
  return r;
}

/** Groups executed actions by account id, keeping their order. */
export function groupByAccount(actions: readonly ExecutedAction[]): Map<string, ExecutedAction[]> {
  const byAccount = new Map<string, ExecutedAction[]>();
  for (const a of actions) {
    const list = byAccount.get(a.accountId);
    if (list) list.push(a);
    else byAccount.set(a.accountId, [a]);
  }
  return byAccount;
}

/**
 * `snapshot` with `extra` actions appended, skipping ids it already has (and repeats within
 * `extra`). Returns the same object when nothing is new, and how many were added.
 */
export function withActions(snapshot: AccountSnapshot, extra: readonly RecordedAction[]): { snapshot: AccountSnapshot; added: number } {
  if (snapshot.actions !== undefined && !Array.isArray(snapshot.actions))
    throw new LedgerFileError(`record: account ${snapshot.id} has a malformed actions field (not an array); not overwriting it`);
  const existing = snapshot.actions ?? [];
  const seen = new Set<string>();
  for (const a of existing) if (isObject(a) && typeof a.id === "string") seen.add(a.id);
  const added: RecordedAction[] = [];
  for (const a of extra) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    added.push(a);
  }
  if (added.length === 0) return { snapshot, added: 0 };
  return { snapshot: { ...snapshot, actions: [...existing, ...added] }, added: added.length };
}

/**
 * A database driver that is an optional dependency, loaded once on first use (so nobody loads a
 * driver they do not use); a failed load is tried again next time, and says what to install.
 */
export function lazyDriver<T>(load: () => Promise<{ default: T }>, missing: string): () => Promise<T> {
  let driver: Promise<T> | undefined;
  return () =>
    (driver ??= load().then(
      (m) => m.default,
      (error: unknown) => {
        driver = undefined;
        throw new LedgerError("missing_driver", missing, { cause: error });
      },
    ));
}

/** `record()`'s error when actions name accounts the ledger does not hold (each named; nothing is stored). */
export function unknownAccounts(ids: readonly string[]): RecordError {
  return new RecordError([ledgerIssue("unresolved_reference", "accountId", `unknown account id(s): ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", …" : ""}`)]);
}
