import { UNREADABLE_KEY } from "./rows.js";
/**
 * The PostgreSQL ledger's SQL: which optional columns a ledger has, the streaming statement
 * (each account's children gathered column by column with `json_agg`) and turning those
 * columns back into rows.
 */

/**
 * Columns added after the first schema: a database created before them gets them on first
 * (writable) use; a read-only ledger or a vendor's view without them reads them as NULL.
 */
export const ADDED_COLUMNS = {
  accounts: [
    ["holds", "TEXT"],
    ["opt_outs", "TEXT"],
  ],
  actions: [
    ["channels", "TEXT"],
    ["conversation", "BOOLEAN"],
  ],
} as const;

/** Which of the added columns the ledger has. */
export interface Columns {
  holds: boolean;
  opt_outs: boolean;
  channels: boolean;
  conversation: boolean;
}

/** The columns of the accounts and actions tables or views, and whether each is a table. */
export const COLUMNS_SQL = `SELECT t.name, c.relkind IN ('r', 'p'), array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
FROM (VALUES ('accounts'), ('actions')) t(name) JOIN pg_class c ON c.oid = to_regclass(t.name)`;
/** Text-like type oids (text, varchar, bpchar, name): a JSON column of these types is parsed in JavaScript. */
export const TEXT_TYPES = new Set([25, 1043, 1042, 19]);

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The rows of one child column: a JSON array of columns, `[[id, …], [period, …], …]` (each
 * `json_agg` of one column; `[null, null, …]` when there are no rows), turned back into rows.
 */
export function jsonRows(value: unknown): unknown[][] {
  const columns = (typeof value === "string" ? JSON.parse(value) : value) as (unknown[] | null)[] | null;
  const first = columns?.[0];
  if (columns === null || first === null || first === undefined) return [];
  const rows: unknown[][] = new Array(first.length);
  for (let i = 0; i < first.length; i++) rows[i] = columns.map((column) => column?.[i]);
  return rows;
}

/**
 * The streaming statement. Ids are read as text (`::text`, a no-op on text columns, so the
 * primary key index still serves the order); `$1` is the cursor to start after ('' from the
 * start, which also leaves out NULL and empty ids: those are reported separately, first).
 *
 * Each account's children are gathered column by column (one `json_agg` per column, in id
 * order: the primary key's order, so no sort) into one JSON array of columns: about twice as
 * fast in PostgreSQL as one `json_build_array` per row. JSON keeps each value's type (text,
 * number, null), so malformed values reach the validator as they are.
 */
export function streamSql(shardInSql: boolean, has: Columns, binary: ReadonlySet<string> = new Set()): string {
  // A column the ledger lacks (see ADDED_COLUMNS) reads as NULL; a bytea one (`binary`, as
  // "table.column") as a marker that `assembleEntry` reports (JSON would render it "\\x…" text).
  const column = (alias: string, c: string, table = ""): string =>
    c in has && !has[c as keyof Columns]
      ? `NULL::text AS ${c}`
      : binary.has(`${table}.${c}`)
        ? `CASE WHEN ${alias}.${c} IS NULL THEN NULL ELSE json_build_object('${UNREADABLE_KEY}', 'bytea of ' || length(${alias}.${c}) || ' bytes') END AS ${c}`
        : `${alias}.${c}`;
  const children = (table: string, alias: string, columns: readonly string[]): string =>
    `(SELECT json_build_array(${columns.map((c) => `json_agg(${alias}.${c})`).join(", ")}) FROM (SELECT ${columns.map((c) => column(alias, c, table)).join(", ")} FROM ${table} ${alias} WHERE ${alias}.account_id = a.id ORDER BY ${alias}.id::text COLLATE "C") ${alias})`;
  return `SELECT a.id::text, a.segment, a.unit, a.owner_name, a.owner_tags,
  ${children("charges", "c", ["id", "period", "due_on", "amount_minor"])},
  ${children("payments", "p", ["id", "paid_on", "amount_minor"])},
  ${children("actions", "x", ["id", "stage", "done_on", "covers", "channels", "conversation"])},
  ${column("a", "holds")}, ${column("a", "opt_outs")}
FROM accounts a
WHERE a.id::text COLLATE "C" > $1::text${shardInSql ? " AND pd_shard_of(a.id::text, $2::integer) = $3::integer" : ""}
ORDER BY a.id::text COLLATE "C"`;
}

/** The bytea columns of the child tables (or views), as "table.column": `SELECT … LIMIT 0` gives their types. */
export const BYTEA = 17;

/** Ids that cannot be placed in the order: NULL and ''. */
export const UNORDERED_SQL = `SELECT a.id::text FROM accounts a WHERE a.id IS NULL OR a.id::text = ''`;
