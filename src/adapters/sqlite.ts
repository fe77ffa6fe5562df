/**
 * A ledger in an SQLite file, read with better-sqlite3 (an optional dependency: it is loaded
 * only when this adapter is opened). Schema: `sqlite-schema.sql`.
 *
 * Streaming is one statement over the accounts in id order. An account with a checked copy
 * (`accounts.doc`, kept by triggers and by this adapter: sqlite-docs.ts) is read from that one
 * column, and planned without checking it again; an account without one has its charges,
 * payments and actions gathered by correlated subqueries into JSON arrays (`json_group_array`),
 * which JavaScript turns into snapshot objects and `plan()` checks. Memory stays constant however
 * many accounts there are, JavaScript runs no statement per account, and the shard filter runs
 * inside SQLite so the other shards' rows are never read. (Gathering is about 2.5 times faster
 * than walking four ordered scans side by side, which pays better-sqlite3's per-row cost for
 * every charge, and reading a copy 4 to 5 times faster again: see docs/performance.md.)
 */
import type BetterSqlite3 from "better-sqlite3";
import { ledgerIssue, normalizeAccount, type AccountSnapshot, type RecordedAction } from "../schedule/account.js";
import { shardOf } from "../schedule/hash.js";
import { checkExecuted, checkReadOptions, lazyDriver, ledgerProblem, snapshotProblem, unknownAccounts, UNORDERED_CURSOR } from "./common.js";
import { readAccountDoc } from "./account-doc.js";
import { assembleEntry, errorText } from "./rows.js";
import { migrate, presentColumns, type Columns } from "./sqlite-columns.js";
import { docsUsable, missingDocs, setUpDocs, writeDocs } from "./sqlite-docs.js";
import { SQLITE_SCHEMA } from "./sqlite-schema.js";
import type { ExecutedAction, LedgerAdapter, LedgerEntry, ReadOptions } from "./types.js";

type Database = BetterSqlite3.Database;
type Driver = typeof BetterSqlite3;

export interface SqliteLedgerOptions {
  /** Open the file read-only: it must exist and hold the tables; `record()` and `writeAccounts()` reject. */
  readonly?: boolean;
  /**
   * Read the checked copies the ledger keeps (see `sqlite-docs.ts`): default true. With false,
   * every account is read from its rows (slower; for audits and comparisons). Copies are still
   * kept up to date on writes either way.
   */
  copies?: boolean;
}

export interface SqliteLedger extends LedgerAdapter {
  /**
   * Writes whole accounts in one transaction (for the demo generator, tests and imports). An
   * account that already exists is replaced, charges and payments included; its actions are
   * merged, keeping those already recorded. Values are stored as given, unchecked.
   */
  writeAccounts(accounts: readonly AccountSnapshot[]): Promise<void>;
  /**
   * Writes the checked copy (see `sqlite-docs.ts`) of every account that has none, in
   * transactions of 1,000 accounts; returns how many it wrote. Needed only after other programs
   * wrote rows: `writeAccounts()` and `record()` keep the copies of what they write. Planning
   * is right either way, only slower for accounts without a copy.
   */
  refresh(): Promise<number>;
}

const loadDriver = lazyDriver<Driver>(() => import("better-sqlite3"), "the sqlite ledger needs the better-sqlite3 package: npm install better-sqlite3");

/**
 * The streaming statement. Unqualified names inside the subqueries would bind to the inner
 * tables, but every column is qualified anyway. json_array keeps each value's SQLite type
 * (text, integer, real, NULL), so malformed values reach the validator as they are. Columns the
 * ledger lacks (see `ADDED_COLUMNS` in sqlite-columns.ts) read as NULL.
 */
function streamSql(where: readonly string[], has: Columns, docs: boolean): string {
  const col = (alias: string, name: keyof Columns): string => (has[name] ? `${alias}.${name}` : "NULL");
  // With copies, an account's rows are gathered only when it has none (CASE evaluates lazily).
  const rows = (subquery: string): string => (docs ? `CASE WHEN a.doc IS NULL THEN (${subquery}) END` : `(${subquery})`);
  return `SELECT a.id, a.segment, a.unit, a.owner_name, a.owner_tags,
  ${rows("SELECT json_group_array(json_array(c.id, c.period, c.due_on, c.amount_minor)) FROM charges c WHERE c.account_id = a.id")},
  ${rows("SELECT json_group_array(json_array(p.id, p.paid_on, p.amount_minor)) FROM payments p WHERE p.account_id = a.id")},
  ${rows(`SELECT json_group_array(json_array(x.id, x.stage, x.done_on, x.covers, ${col("x", "channels")}, ${col("x", "conversation")})) FROM actions x WHERE x.account_id = a.id`)},
  ${col("a", "holds")}, ${col("a", "opt_outs")}, ${docs ? "a.doc" : "NULL"}
FROM accounts a${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}
ORDER BY a.id`;
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

/**
 * The ledger entry of a streamed row: from the account's copy when the row carries one (its
 * child columns are then NULL, so {@link assembleEntry} reads the account's own fields only),
 * from its rows otherwise.
 */
function entryOf(id: string, row: unknown[]): LedgerEntry {
  const entry = assembleEntry(id, row, ENTRY_OPTIONS);
  const doc = row[10];
  if (typeof doc !== "string" || !entry.ok) return entry;
  const own = normalizeAccount(entry.account);
  try {
    const { snapshot, account } = readAccountDoc(doc, entry.account, own.ok ? own.account : undefined);
    return account === undefined ? { ok: true, cursor: id, account: snapshot } : { ok: true, cursor: id, account: snapshot, checked: account };
  } catch (error) {
    return ledgerProblem(id, id, [ledgerIssue("unreadable", "doc", `${errorText(error)}; set it to NULL to read the account from its rows`)]);
  }
}

/**
 * A ledger in the SQLite file at `path` (created with the schema when missing, unless
 * read-only). Streams in ascending account id; the cursor is the account id. A database made
 * with an older schema gets the newer columns (`holds`, `opt_outs`, `doc`; the actions'
 * `channels`, `conversation`) added on first writable use; read-only, or in a view, missing ones read as NULL.
 *
 * - Each `accounts()` stream reads one consistent snapshot through its own read-only
 *   connection, so `record()` may run while a stream is open (for `:memory:` databases the
 *   stream shares the one connection, and `record()` fails while a stream is open).
 * - Values are streamed raw: a non-integer amount or a malformed date reaches the scheduler's
 *   validator, which names it. An account whose `owner_tags`, `holds` or `opt_outs` (or an
 *   action's `covers` or `channels`) is not valid JSON is streamed as `{ ok: false }` with the
 *   reason naming the column; an account id that is not
 *   non-empty text as `{ ok: false }` with cursor `""` on shard 0.
 * - `record()` inserts with `INSERT OR IGNORE` in one transaction, keyed by (account id, action
 *   id), and returns how many were new; it rejects, writing nothing, when an action names an
 *   account the ledger does not hold.
 * - Writable, it keeps each account's checked copy (`accounts.doc`): `writeAccounts()` and
 *   `record()` rewrite the copies of what they change, triggers clear the copy of an account
 *   whose rows another program changes, and `refresh()` fills in missing copies. A stream reads
 *   an account from its copy when it has one, and its snapshot's lists are then in planning
 *   order (charges by due date, payments and actions by day) rather than by id.
 */
export async function sqliteLedger(path: string, options: SqliteLedgerOptions = {}): Promise<SqliteLedger> {
  const Sqlite = await loadDriver();
  const readonly = options.readonly === true;
  const readCopies = options.copies !== false;
  const inMemory = path === "" || path === ":memory:";
  let db: Database;
  try {
    db = readonly ? new Sqlite(path, { readonly: true, fileMustExist: true }) : new Sqlite(path);
  } catch (error) {
    throw new Error(`cannot open sqlite ledger ${path}: ${errorText(error)}`, { cause: error });
  }
  if (inMemory) withShardFunction(db);
  if (!readonly) {
    if (!inMemory) db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(SQLITE_SCHEMA);
  }
  let has: Columns;
  try {
    has = migrate(db, !readonly);
    if (!readonly) setUpDocs(db, has.doc);
  } catch (error) {
    db.close();
    throw new Error(`cannot open sqlite ledger ${path}: ${errorText(error)}`, { cause: error });
  }

  const streams = new Set<Database>();
  let closed = false;
  const usable = (): void => {
    if (closed) throw new Error(`sqlite ledger ${path} is closed`);
  };
  const writable = (what: string): void => {
    usable();
    if (readonly) throw new Error(`${what}: sqlite ledger ${path} was opened read-only`);
  };

  async function* stream(read: ReadOptions): AsyncGenerator<LedgerEntry> {
    usable();
    const { shard, after } = read;
    const conn = inMemory ? db : withShardFunction(new Sqlite(path, { readonly: true, fileMustExist: true }));
    if (conn !== db) streams.add(conn);
    let rows: IterableIterator<unknown[]> | undefined;
    try {
      const params: unknown[] = [];
      const where: string[] = [];
      if (after !== undefined) where.push("a.id > ?"), params.push(after);
      // Filtering in SQL means the child lookups run only for this shard's accounts.
      if (shard !== undefined && shard.count > 1) where.push("pd_shard_of(a.id, ?) = ?"), params.push(shard.count, shard.index);
      // One read transaction: whether copies may be read is decided in the snapshot that is read.
      if (conn !== db) conn.exec("BEGIN");
      const columns = conn === db ? has : presentColumns(conn);
      const docs = readCopies && docsUsable(conn, columns.doc);
      rows = conn.prepare<unknown[], unknown[]>(streamSql(where, columns, docs)).raw(true).iterate(...params);
      let last: unknown = after;
      for (;;) {
        let step: IteratorResult<unknown[]>;
        try {
          step = rows.next();
        } catch (error) {
          // SQLite's JSON functions refuse BLOBs ("JSON cannot hold BLOB values").
          const at = last === undefined ? "at the start" : `after account ${JSON.stringify(last)}`;
          throw new Error(`sqlite ledger ${path}: reading stopped ${at}: ${errorText(error)}`, { cause: error });
        }
        if (step.done) break;
        const row = step.value;
        const id = row[0];
        if (typeof id !== "string" || id.length === 0) {
          // NULL, numbers and '' sort before every other id: they are reported up front, once.
          if (after === undefined && (shard === undefined || shard.index === 0))
            yield ledgerProblem(UNORDERED_CURSOR, String(id), [snapshotProblem({ id })!]);
          continue;
        }
        last = id;
        yield entryOf(id, row);
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
    readOne: undefined as BetterSqlite3.Statement<[string], unknown[]> | undefined,
  };
  /** One account read from its rows (not its copy), on the writing connection. */
  const readOne = (id: string): LedgerEntry | undefined => {
    sql.readOne ??= db.prepare<[string], unknown[]>(streamSql(["a.id = ?"], has, false)).raw(true);
    const row = sql.readOne.get(id);
    return row === undefined ? undefined : assembleEntry(id, row, ENTRY_OPTIONS);
  };
  /** Rewrites the copies of `ids` after their rows changed, when this ledger keeps copies. */
  const keepDocs = (ids: Iterable<string>): void => {
    if (docsUsable(db, has.doc)) writeDocs(db, ids, readOne);
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
  const accountExtras = (["holds", "opt_outs"] as const).filter((c) => has[c]);

  const recordAll = (actions: readonly ExecutedAction[]): number => {
    sql.accountExists ??= db.prepare<[string], number>("SELECT 1 FROM accounts WHERE id = ?").pluck(true);
    sql.insertAction ??= db.prepare<unknown[]>(insertActionSql);
    const exists = sql.accountExists;
    const insert = sql.insertAction;
    const unknown = [...new Set(actions.map((a) => a.accountId))].filter((id) => exists.get(id) === undefined);
    if (unknown.length > 0) throw unknownAccounts(unknown);
    let added = 0;
    const changed = new Set<string>();
    for (const a of actions) {
      const n = insert.run(...actionValues(a.accountId, a)).changes;
      if (n > 0) changed.add(a.accountId);
      added += n;
    }
    keepDocs(changed);
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
    accounts.forEach((a, i) => {
      const problem = snapshotProblem(a);
      if (problem !== undefined) throw new TypeError(`writeAccounts: accounts[${i}]${problem.path ? `.${problem.path}` : ""}: ${problem.message}`);
      const tags = a.owner?.tags;
      const extras = accountExtras.map((c) => json(c === "holds" ? a.holds : a.optOuts));
      upsertAccount.run(a.id, v(a.segment), v(a.unit), v(a.owner?.name), tags === undefined ? null : JSON.stringify(tags), ...extras);
      deleteCharges.run(a.id);
      deletePayments.run(a.id);
      for (const c of a.charges ?? []) insertCharge.run(a.id, v(c.id), v(c.period), v(c.dueOn), v(c.amountMinor));
      for (const p of a.payments ?? []) insertPayment.run(a.id, v(p.id), v(p.on), v(p.amountMinor));
      for (const r of a.actions ?? []) insertAction.run(...actionValues(a.id, r));
    });
    keepDocs(accounts.map((a) => a.id));
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
    async refresh(): Promise<number> {
      writable("refresh");
      if (!docsUsable(db, has.doc)) return 0;
      let written = 0;
      let after = "";
      for (;;) {
        const ids = missingDocs(db, after, 1_000);
        if (ids.length === 0) return written;
        written += db.transaction(() => writeDocs(db, ids, readOne)).immediate();
        after = ids.at(-1)!;
      }
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
