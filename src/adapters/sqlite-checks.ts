/**
 * The SQLite ledger's SQL: the streaming statement in the read order (and that order's index),
 * and the paid-up fast path: its partial indexes of unusable rows (in `sqlite-schema.sql`, the
 * documented source) and the SQL that tells paid-up accounts without holds from the rest. Loads
 * no driver (the connection is passed in).
 */
import type BetterSqlite3 from "better-sqlite3";
import type { ChildTable } from "./orphans.js";
import { SQLITE_SCHEMA } from "./sqlite-schema.js";
import { markBlobSqlite } from "./rows.js";
import type { Columns } from "./sqlite-columns.js";
import type { ResumePoint } from "../ledger/read-order.js";

type Database = BetterSqlite3.Database;

/** One partial index of the rows of a child table that `normalizeAccount` would refuse. */
interface UnusableIndex {
  name: string;
  table: ChildTable;
  /** Its WHERE clause, `(…) IS NOT 1`, with the columns unqualified. */
  where: string;
  /** Its statement as it is run (`CREATE INDEX IF NOT EXISTS …;`). */
  statement: string;
  /** Its statement as SQLite keeps it in `sqlite_master.sql`. */
  stored: string;
}

const INDEX = /CREATE INDEX IF NOT EXISTS (pd_(charges|payments|actions)_unusable) ON \2 \(account_id\) WHERE \(([\s\S]*?)\n\) IS NOT 1;/g;

export const UNUSABLE_INDEXES: readonly UnusableIndex[] = [...SQLITE_SCHEMA.matchAll(INDEX)].map((m) => ({
  name: m[1]!,
  table: m[2] as ChildTable,
  where: `(${m[3]!}\n) IS NOT 1`,
  statement: m[0],
  stored: m[0].replace("CREATE INDEX IF NOT EXISTS ", "CREATE INDEX ").replace(/;$/, ""),
}));
// An invariant of the bundled schema file, checked once when the module loads (a build defect, not an input).
if (UNUSABLE_INDEXES.length !== 3) throw new Error("sqlite-schema.sql must have one unusable-rows index per child table");

/** The read order's index on accounts (see sqlite-schema.sql): the statement, as it is run. */
const READ_ORDER = /CREATE INDEX IF NOT EXISTS pd_accounts_read_order ON accounts \(.*\);/;
export const READ_ORDER_INDEX: string = READ_ORDER.exec(SQLITE_SCHEMA)?.[0] ?? "";
// An invariant of the bundled schema file, checked once when the module loads (a build defect, not an input).
if (READ_ORDER_INDEX === "") throw new Error("sqlite-schema.sql must have the read order's index");

/** The schema without those indexes: the tables, run before the older columns are added (the indexes read them). */
export const SCHEMA_TABLES: string = SQLITE_SCHEMA.replace(INDEX, "").replace(READ_ORDER, "");

/** Creates the unusable-rows indexes on the child tables that are tables (a vendor's view cannot have one). */
export function createUnusableIndexes(conn: Database): void {
  const tables = new Set(conn.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck(true).all());
  for (const index of UNUSABLE_INDEXES) if (tables.has(index.table)) conn.exec(index.statement);
  // And the read order's, on accounts when it is a table (a view reads in order through its own tables' indexes, or sorts).
  if (tables.has("accounts")) conn.exec(READ_ORDER_INDEX);
}

/**
 * Whether the ledger vouches for its rows: every child table has its unusable-rows index, exactly
 * as the schema states it (so a table with another index of that name, or a view, does not), and
 * its primary key is (account_id, id), as the schema's: the sums count each row once only while
 * no id can repeat within an account (a table made by someone else, without that key, could hold
 * a payment twice, which checking would report and the sums would count).
 */
export function vouchesForRows(conn: Database): boolean {
  const stored = new Map(conn.prepare<[], [string, string]>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'pd\\_%\\_unusable' ESCAPE '\\'").raw(true).all());
  const key = conn.prepare<[string], string>("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk").pluck(true);
  return UNUSABLE_INDEXES.every((index) => stored.get(index.name) === index.stored && key.all(index.table).join(",") === "account_id,id");
}

/** Fen: the largest sum that is exact in JavaScript (and in SQLite's `total()`, a double). */
const MAX_SAFE = "9007199254740991";

/**
 * 1 when the account (alias `a`, its `holds` column `holds`) is paid up on `asOf` and has no
 * holds, and no row of it is in an unusable-rows index; 0 otherwise. The cheap tests come first
 * (SQLite stops at the first that fails): holds, then the sums (the payments on or before asOf
 * against every charge, as `findCandidates` adds them up; NULL, so 0, when the payments' total
 * is past the exact range), and the index look-ups only for an account that is paid up. `asOf`
 * must be a checked `YYYY-MM-DD` (it is written into the statement).
 */
export function paidUpSql(asOf: string, holds: string): string {
  const unusable = (i: UnusableIndex): string => `NOT EXISTS (SELECT 1 FROM ${i.table} INDEXED BY ${i.name} WHERE account_id = a.id AND ${i.where})`;
  return `CASE WHEN (${holds} IS NULL OR ${holds} = '[]')
  AND (SELECT CASE WHEN total(p.amount_minor) <= ${MAX_SAFE} THEN total(CASE WHEN p.paid_on <= '${asOf}' THEN p.amount_minor END) END FROM payments p WHERE p.account_id = a.id)
    >= (SELECT total(c.amount_minor) FROM charges c WHERE c.account_id = a.id)
  AND ${UNUSABLE_INDEXES.map(unusable).join("\n  AND ")}
THEN 1 ELSE 0 END`;
}

/**
 * The streaming statement. Unqualified names inside the subqueries would bind to the inner
 * tables, but every column is qualified anyway. json_array keeps each value's SQLite type
 * (text, integer, real, NULL), so malformed values reach the validator as they are. Columns the
 * ledger lacks (see `ADDED_COLUMNS` in sqlite-columns.ts) read as NULL.
 */
export function streamSql(where: readonly string[], has: Columns, marked = false, paidUpOn?: string): string {
  const key = readKeySql(has);
  const col = (alias: string, name: keyof Columns): string => (has[name] ? `${alias}.${name}` : "NULL");
  // The marking statement (see `stream`) turns a BLOB, which json_array refuses, into a marker.
  const cells = (...names: string[]): string => (marked ? names.map((n) => (n === "NULL" ? n : markBlobSqlite(n))) : names).join(", ");
  const children = [
    `(SELECT json_group_array(json_array(${cells("c.id", "c.period", "c.due_on", "c.amount_minor")})) FROM charges c WHERE c.account_id = a.id)`,
    `(SELECT json_group_array(json_array(${cells("p.id", "p.paid_on", "p.amount_minor")})) FROM payments p WHERE p.account_id = a.id)`,
    `(SELECT json_group_array(json_array(${cells("x.id", "x.stage", "x.done_on", "x.covers", col("x", "channels"), col("x", "conversation"))})) FROM actions x WHERE x.account_id = a.id)`,
  ];
  const filter = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
  if (paidUpOn === undefined)
    return `SELECT a.id, a.segment, a.unit, a.owner_name, a.owner_tags,
  ${children.join(",\n  ")},
  ${col("a", "holds")}, ${col("a", "opt_outs")}, ${col("a", "estate")}, ${col("a", "owner_id")}, NULL, ${key}
FROM accounts a${filter}
ORDER BY ${key}, a.id`;
  // The paid-up fast path: the inner query decides once per account (`paid_up`, see paidUpSql),
  // and a paid-up account's children are not gathered. The inner query runs as a co-routine (its
  // LIMIT keeps SQLite from merging it into the outer one, which would decide once per column),
  // in the read order (the index), so memory stays constant and no sort is needed. A unit that names an owner always
  // comes with its rows: the owner pass counts its recorded contacts (src/schedule/owners).
  return `SELECT a.id, a.segment, a.unit, a.owner_name, a.owner_tags,
  ${children.map((c) => `CASE WHEN a.paid_up THEN NULL ELSE ${c} END`).join(",\n  ")},
  a.holds, a.opt_outs, a.estate, a.owner_id, a.paid_up, a.read_key
FROM (SELECT a.id, a.segment, a.unit, a.owner_name, a.owner_tags, ${col("a", "holds")} AS holds, ${col("a", "opt_outs")} AS opt_outs, ${col("a", "estate")} AS estate, ${col("a", "owner_id")} AS owner_id,
  (${paidUpSql(paidUpOn, col("a", "holds"))}) AND ${col("a", "owner_id")} IS NULL AS paid_up, ${key} AS read_key
  FROM accounts a${filter} ORDER BY ${key}, a.id LIMIT -1) a
ORDER BY a.read_key, a.id`;
}

/**
 * The read order's key in SQL (shardKeyOf: the owner's id, else the account id), exactly as the
 * `pd_accounts_read_order` index states it, so that SQLite reads that index instead of sorting.
 */
export function readKeySql(has: Columns): string {
  return has.owner_id ? "COALESCE(NULLIF(a.owner_id, ''), a.id)" : "a.id";
}

/**
 * The streaming statement's condition for a stream that resumes after `base`: a position (the
 * key first, so that SQLite searches the index from there), or an account id alone from the
 * id-order versions (every unit that names an owner, and the rest after it; see parseCursor).
 */
export function resumeSql(base: ResumePoint | undefined, has: Columns): { where: string[]; params: string[] } {
  const key = readKeySql(has);
  if (base === undefined) return { where: [], params: [] };
  if (base.key !== undefined) return { where: [`${key} >= ? AND (${key}, a.id) > (?, ?)`], params: [base.key, base.key, base.id] };
  return { where: [has.owner_id ? `(NULLIF(a.owner_id, '') IS NOT NULL OR ${key} > ?)` : "a.id > ?"], params: [base.id] };
}
