/**
 * A ledger in an SQLite file, read with better-sqlite3 (an optional dependency: it is loaded
 * only when this adapter is opened). Schema: `sqlite-schema.sql`.
 *
 * Streaming is one statement over the accounts in the read order (shard key, then id, through
 * the `pd_accounts_read_order` index): each account's charges, payments
 * and actions are gathered by correlated subqueries into JSON arrays (`json_group_array`), which
 * JavaScript turns into snapshot objects and `plan()` checks. The rows are the one truth: there
 * is no second copy of an account to keep in step with them. Memory stays constant however many
 * accounts there are, JavaScript runs no statement per account, and the shard filter runs inside
 * SQLite so the other shards' rows are never read. (Gathering is about 2.5 times faster than
 * walking four ordered scans side by side, which pays better-sqlite3's per-row cost for every
 * charge: see docs/performance.md.)
 *
 * The paid-up fast path (`ReadOptions.paidUpOn`, which `plan()` passes): an account paid up on
 * that day without holds is handed over without its children, decided in the statement (see
 * `sqlite-checks.ts`), only while the ledger's indexes of unusable rows vouch for what is left
 * out (docs/adapters.md, "The paid-up fast path").
 */
import type BetterSqlite3 from "better-sqlite3";
import type { AccountSnapshot, RecordedAction } from "../ledger/account.js";
import { shardOf } from "../ledger/shard.js";
import { checkAccountsToWrite, checkExecuted, checkReadOptions, lazyDriver, LedgerError, ledgerProblem, snapshotProblem, unknownAccounts, UNORDERED_CURSOR } from "./common.js";
import { CHILD_TABLES, orphanProblems, orphanSqlSqlite, type OrphanRows } from "./orphans.js";
import { ID_IS_KEY_SQLITE, repeatProblems, repeatSqlSqlite, type RepeatedAccount } from "./repeats.js";
import { assembleEntry, errorText } from "./rows.js";
import { parseCursor, readCursor, type ResumePoint } from "../ledger/read-order.js";
import { createUnusableIndexes, readKeySql, resumeSql, SCHEMA_TABLES, streamSql, vouchesForRows } from "./sqlite-checks.js";
import { dropCopies, migrate, presentColumns, type Columns } from "./sqlite-columns.js";
import type { ExecutedAction, LedgerAdapter, LedgerEntry, ReadOptions } from "../ledger/adapter.js";

type Database = BetterSqlite3.Database;
type Driver = typeof BetterSqlite3;

export interface SqliteLedgerOptions {
  /** Open the file read-only: it must exist and hold the tables; `record()` and `writeAccounts()` reject. */
  readonly?: boolean;
}

export interface SqliteLedger extends LedgerAdapter {
  /**
   * Writes whole accounts in one transaction (for the demo generator, tests and imports). An
   * account that already exists is replaced, charges and payments included; its actions are
   * merged, keeping those already recorded. Values are stored as given, unchecked.
   */
  writeAccounts(accounts: readonly AccountSnapshot[]): Promise<void>;
}

const loadDriver = lazyDriver<Driver>(() => import("better-sqlite3"), "the sqlite ledger needs the better-sqlite3 package: npm install better-sqlite3");

/** The rows of the child tables whose account does not exist (see orphans.ts). */
function findOrphans(conn: Database): OrphanRows[] {
  // Tables whose primary key starts with account_id (a view has none): their ids can be skip-scanned.
  const keyed = conn.prepare<[string], number>("SELECT 1 FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name = ? AND c.pk = 1 AND c.name = 'account_id'").pluck(true);
  return CHILD_TABLES.flatMap((table) =>
    conn
      .prepare<[], unknown[]>(orphanSqlSqlite(table, keyed.get(table) === 1))
      .raw(true)
      .all()
      .map(([accountId, count, ids]) => ({ table, accountId, count: count as number, ids: JSON.parse(ids as string) as unknown[] })),
  );
}

/** The ids `accounts` holds more than once (see repeats.ts); none asked for when `id` is its primary key. */
function findRepeats(conn: Database, ownerColumn: boolean): RepeatedAccount[] {
  if (conn.prepare<[], number>(ID_IS_KEY_SQLITE).pluck(true).get() === 1) return [];
  return conn
    .prepare<[], unknown[]>(repeatSqlSqlite(ownerColumn))
    .raw(true)
    .all()
    .map(([id, count, owners]) => ({ id: id as string, count: count as number, owners: JSON.parse(owners as string) as (string | null)[] }));
}

/**
 * Registers `pd_shard_of(id, count)`, the SQL twin of `shardOf`. Ids that are not non-empty text
 * belong to shard 0, where they are reported.
 */
function withShardFunction(conn: Database): Database {
  conn.function("pd_shard_of", { deterministic: true }, (id: unknown, count: number) => (typeof id === "string" && id.length > 0 ? shardOf(id, count) : 0));
  return conn;
}

/** The rows of one `json_group_array` column. */
function jsonRows(value: unknown): unknown[][] {
  if (value === "[]" || value === null) return [];
  return JSON.parse(value as string) as unknown[][];
}

/** How {@link assembleEntry} reads a row: children as `json_group_array` rows, JSON account columns as text. */
const ENTRY_OPTIONS = { childRows: jsonRows };
const MARKED_OPTIONS = { childRows: jsonRows, marked: true };

/** Whether SQLite stopped a statement because a JSON function met a BLOB. */
const isBlobError = (error: unknown): boolean => errorText(error).includes("JSON cannot hold BLOB values");

/**
 * A ledger in the SQLite file at `path` (created with the schema when missing, unless
 * read-only). Streams in the read order (src/ledger/read-order.ts); the cursor is that position. A database made
 * with an older schema gets the newer columns (`holds`, `opt_outs`; the actions' `channels`,
 * `conversation`) added, and the checked copies of earlier versions (`accounts.doc`, its
 * triggers, `pd_meta`) removed, on first writable use; read-only, it changes nothing: missing
 * columns read as NULL and the copies are ignored. In a view, missing columns read as NULL.
 *
 * - Each `accounts()` stream reads one consistent snapshot through its own read-only
 *   connection, so `record()` may run while a stream is open (for `:memory:` databases the
 *   stream shares the one connection, and `record()` fails while a stream is open).
 * - Values are streamed raw: a non-integer amount or a malformed date reaches the scheduler's
 *   validator, which names it. An account whose `owner_tags`, `holds` or `opt_outs` (or an
 *   action's `covers` or `channels`) is not valid JSON is streamed as `{ ok: false }` with the
 *   reason naming the column; an account id that is not
 *   non-empty text as `{ ok: false }` at its place in the read order (its owner's key, else first),
 *   by a stream from the start, with the cursor before it (`""` at the start).
 * - `record()` inserts with `INSERT OR IGNORE` in one transaction, keyed by (account id, action
 *   id), and returns how many were new; it rejects, writing nothing, when an action names an
 *   account the ledger does not hold.
 */
export async function sqliteLedger(path: string, options: SqliteLedgerOptions = {}): Promise<SqliteLedger> {
  const Sqlite = await loadDriver();
  const readonly = options.readonly === true;
  const inMemory = path === "" || path === ":memory:";
  let db: Database;
  try {
    db = readonly ? new Sqlite(path, { readonly: true, fileMustExist: true }) : new Sqlite(path);
  } catch (error) {
    throw new LedgerError("cannot_open", `cannot open sqlite ledger ${path}: ${errorText(error)}`, { cause: error });
  }
  if (inMemory) withShardFunction(db);
  if (!readonly) {
    if (!inMemory) db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(SCHEMA_TABLES);
  }
  let has: Columns;
  try {
    if (!readonly) dropCopies(db);
    has = migrate(db, !readonly);
    // After the added columns, which the actions' index reads. Building them on a large ledger
    // made before them reads every row once (first writable open only).
    if (!readonly) db.transaction(() => createUnusableIndexes(db)).immediate();
  } catch (error) {
    db.close();
    throw new LedgerError("cannot_open", `cannot open sqlite ledger ${path}: ${errorText(error)}`, { cause: error });
  }

  const streams = new Set<Database>();
  let closed = false;
  const usable = (): void => {
    if (closed) throw new LedgerError("ledger_closed", `sqlite ledger ${path} is closed`);
  };
  const writable = (what: string): void => {
    usable();
    if (readonly) throw new LedgerError("read_only", `${what}: sqlite ledger ${path} was opened read-only`);
  };

  async function* stream(read: ReadOptions): AsyncGenerator<LedgerEntry> {
    usable();
    const { shard, after, paidUpOn } = read;
    const conn = inMemory ? db : withShardFunction(new Sqlite(path, { readonly: true, fileMustExist: true }));
    if (conn !== db) streams.add(conn);
    let rows: IterableIterator<unknown[]> | undefined;
    try {
      const first = after === undefined && (shard === undefined || shard.index === 0);
      // Filtering in SQL means the child lookups run only for this shard's accounts.
      // One read transaction: the columns are those of the snapshot that is read.
      if (conn !== db) conn.exec("BEGIN");
      const columns = conn === db ? has : presentColumns(conn);
      // By owner (shardKeyOf): an owner's units are planned together, so they share a shard.
      const shardWhere = shard !== undefined && shard.count > 1 ? [`pd_shard_of(${readKeySql(columns)}, ?) = ?`] : [];
      const shardParams = shard !== undefined && shard.count > 1 ? [shard.count, shard.index] : [];
      // The paid-up fast path only where the ledger's indexes vouch for the rows it leaves out.
      const paidUp = paidUpOn !== undefined && vouchesForRows(conn) ? paidUpOn : undefined;
      // Rows whose account does not exist belong to no account's stream: reported first, once.
      if (first) yield* orphanProblems(findOrphans(conn));
      // An id with several rows: reported once, by the same stream; left out of every stream.
      const repeats = findRepeats(conn, columns.owner_id);
      if (first) yield* repeatProblems(repeats);
      const repeated = new Set(repeats.map((r) => r.id));
      // Where the stream stands: after the position `base` (the cursor, at first; an account id
      // alone from the id-order versions, see parseCursor), and `skip` rows (without a usable id) past it.
      let base: ResumePoint | undefined = after === undefined ? undefined : parseCursor(after);
      let skip = 0;
      /**
       * The streaming statement from where the stream stands. A BLOB in a child row stops the
       * plain statement (SQLite's JSON functions refuse BLOBs); that one row is then read again
       * by the marking statement (`marked`, one row), which turns each BLOB into a marker that
       * `assembleEntry` reports, and the plain statement goes on after it. So the usual rows
       * pay nothing for the check.
       */
      const from = (marked: boolean): IterableIterator<unknown[]> => {
        const at = resumeSql(base, columns);
        const where = [...at.where, ...shardWhere];
        const params = [...at.params, ...shardParams];
        const limit = marked || skip > 0 ? ` LIMIT ${marked ? 1 : -1} OFFSET ${skip}` : "";
        return conn.prepare<unknown[], unknown[]>(streamSql(where, columns, marked, paidUp) + limit).raw(true).iterate(...params);
      };
      let marking = false;
      rows = from(false);
      for (;;) {
        let step: IteratorResult<unknown[]>;
        try {
          step = rows.next();
        } catch (error) {
          if (!marking && isBlobError(error)) {
            rows = from((marking = true));
            continue;
          }
          const at = base === undefined ? "at the start" : `after account ${JSON.stringify(base.id)}`;
          throw new LedgerError("read_failed", `sqlite ledger ${path}: reading stopped ${at}: ${errorText(error)}`, { cause: error });
        }
        if (step.done) {
          if (!marking) break;
          rows = from((marking = false));
          continue;
        }
        const row = step.value;
        const id = row[0];
        if (typeof id !== "string" || id.length === 0) {
          skip++;
          // NULL, numbers and '' sort before every other id of their key (the id itself, or the
          // owner's, which puts them in the owner's shard): reported once, by a stream from the start.
          if (after === undefined) yield ledgerProblem(base !== undefined && base.key !== undefined ? readCursor(base) : UNORDERED_CURSOR, String(id), [snapshotProblem({ id })!]);
          continue;
        }
        base = { key: typeof row[13] === "string" ? row[13] : id, id };
        skip = 0;
        if (repeated.has(id)) continue;
        const entry = assembleEntry(id, readCursor(base), row, marking ? MARKED_OPTIONS : ENTRY_OPTIONS);
        if (entry.ok && row[12] === 1) entry.paidUp = true;
        yield entry;
      }
    } finally {
      rows?.return?.();
      if (conn !== db) {
        streams.delete(conn);
        if (conn.open) conn.close();
      }
    }
  }

  const sql = {
    accountExists: undefined as BetterSqlite3.Statement<[string], number> | undefined,
    insertAction: undefined as BetterSqlite3.Statement<unknown[]> | undefined,
  };
  // The added columns are written only where the ledger has them (a vendor's table may not).
  const actionExtras = (["channels", "conversation"] as const).filter((c) => has[c]);
  const insertActionSql = `INSERT OR IGNORE INTO actions (account_id, id, stage, done_on, covers${actionExtras.map((c) => `, ${c}`).join("")}) VALUES (?, ?, ?, ?, ?${", ?".repeat(actionExtras.length)})`;
  const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
  /** The values of an actions row for `insertActionSql`. */
  const actionValues = (accountId: string, r: RecordedAction): unknown[] => {
    const values: unknown[] = [accountId, r.id ?? null, r.stage ?? null, r.on ?? null, json(r.covers)];
    if (has.channels) values.push(json(r.channels));
    if (has.conversation) values.push(r.conversation === undefined || r.conversation === null ? null : r.conversation === true ? 1 : r.conversation === false ? 0 : r.conversation);
    return values;
  };
  const accountExtras = (["holds", "opt_outs", "estate", "owner_id"] as const).filter((c) => has[c]);

  const recordAll = (actions: readonly ExecutedAction[]): number => {
    sql.accountExists ??= db.prepare<[string], number>("SELECT 1 FROM accounts WHERE id = ?").pluck(true);
    sql.insertAction ??= db.prepare<unknown[]>(insertActionSql);
    const exists = sql.accountExists;
    const insert = sql.insertAction;
    const unknown = [...new Set(actions.map((a) => a.accountId))].filter((id) => exists.get(id) === undefined);
    if (unknown.length > 0) throw unknownAccounts(unknown);
    let added = 0;
    for (const a of actions) added += insert.run(...actionValues(a.accountId, a)).changes;
    return added;
  };

  const writeAll = (accounts: readonly AccountSnapshot[]): void => {
    const upsertAccount = db.prepare(
      `INSERT INTO accounts (id, segment, unit, owner_name, owner_tags${accountExtras.map((c) => `, ${c}`).join("")}) VALUES (?, ?, ?, ?, ?${", ?".repeat(accountExtras.length)})
       ON CONFLICT (id) DO UPDATE SET segment = excluded.segment, unit = excluded.unit, owner_name = excluded.owner_name, owner_tags = excluded.owner_tags${accountExtras.map((c) => `, ${c} = excluded.${c}`).join("")}`,
    );
    const deleteCharges = db.prepare("DELETE FROM charges WHERE account_id = ?");
    const deletePayments = db.prepare("DELETE FROM payments WHERE account_id = ?");
    const insertCharge = db.prepare("INSERT INTO charges (account_id, id, period, due_on, amount_minor) VALUES (?, ?, ?, ?, ?)");
    const insertPayment = db.prepare("INSERT INTO payments (account_id, id, paid_on, amount_minor) VALUES (?, ?, ?, ?)");
    const insertAction = db.prepare(insertActionSql);
    const v = (value: unknown): unknown => (value === undefined ? null : value);
    checkAccountsToWrite(accounts);
    accounts.forEach((a) => {
      const tags = a.owner?.tags;
      const extras = accountExtras.map((c) => (c === "holds" ? json(a.holds) : c === "opt_outs" ? json(a.optOuts) : v(c === "estate" ? a.estate : a.owner?.id)));
      upsertAccount.run(a.id, v(a.segment), v(a.unit), v(a.owner?.name), tags === undefined ? null : JSON.stringify(tags), ...extras);
      deleteCharges.run(a.id);
      deletePayments.run(a.id);
      for (const c of a.charges ?? []) insertCharge.run(a.id, v(c.id), v(c.period), v(c.dueOn), v(c.amountMinor));
      for (const p of a.payments ?? []) insertPayment.run(a.id, v(p.id), v(p.on), v(p.amountMinor));
      for (const r of a.actions ?? []) insertAction.run(...actionValues(a.id, r));
    });
  };

  return {
    accounts(options: ReadOptions = {}): AsyncIterable<LedgerEntry> {
      checkReadOptions(options);
      return stream(options);
    },
    async record(actions: readonly ExecutedAction[]): Promise<number> {
      writable("record");
      checkExecuted(actions);
      if (actions.length === 0) return 0;
      return db.transaction(recordAll).immediate(actions);
    },
    async writeAccounts(accounts: readonly AccountSnapshot[]): Promise<void> {
      writable("writeAccounts");
      db.transaction(writeAll).immediate(accounts);
    },
    async count(): Promise<number> {
      usable();
      return db.prepare<[], number>("SELECT count(*) FROM accounts").pluck(true).get()!;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const conn of streams) if (conn.open) conn.close();
      streams.clear();
      db.close();
    },
  };
}
