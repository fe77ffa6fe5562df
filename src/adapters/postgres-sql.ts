import { POSTGRES_SCHEMA } from "./postgres-schema.js";
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
    ["estate", "TEXT"],
    ["owner_id", "TEXT"],
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
  estate: boolean;
  owner_id: boolean;
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
 * The streaming statement, in the read order (the key, then the id: the `pd_accounts_read_order`
 * index's order, so no sort). Ids are read as text (`::text`, a no-op on text columns, so the
 * index still serves the order); NULL and empty ids are left out (reported separately, first).
 * The last column is the row's key, for its cursor.
 *
 * Each account's children are gathered column by column (one `json_agg` per column, in id
 * order: the primary key's order, so no sort) into one JSON array of columns: about twice as
 * fast in PostgreSQL as one `json_build_array` per row. JSON keeps each value's type (text,
 * number, null), so malformed values reach the validator as they are. It is sent as text
 * (`::text`), which pg hands over unparsed: each account's JSON is parsed when that account is
 * read (`jsonRows`), not for a whole batch as it arrives: a batch waiting to be read is held as
 * text, not as objects (see postgres.ts, `FETCH_SIZE`).
 */
export function streamSql(shardInSql: boolean, has: Columns, binary: ReadonlySet<string> = new Set(), paidUpOn?: string, from: StreamFrom = "start"): string {
  const key = readKeySql(has);
  const shardAt = from === "start" ? 1 : from === "position" ? 3 : 2;
  // A column the ledger lacks (see ADDED_COLUMNS) reads as NULL; a bytea one (`binary`, as
  // "table.column") as a marker that `assembleEntry` reports (JSON would render it "\\x…" text).
  const column = (alias: string, c: string, table = ""): string =>
    c in has && !has[c as keyof Columns]
      ? `NULL::text AS ${c}`
      : binary.has(`${table}.${c}`)
        ? `CASE WHEN ${alias}.${c} IS NULL THEN NULL ELSE json_build_object('${UNREADABLE_KEY}', 'bytea of ' || length(${alias}.${c}) || ' bytes') END AS ${c}`
        : `${alias}.${c}`;
  const children = (table: string, alias: string, columns: readonly string[]): string =>
    `(SELECT json_build_array(${columns.map((c) => `json_agg(${alias}.${c})`).join(", ")})::text FROM (SELECT ${columns.map((c) => column(alias, c, table)).join(", ")} FROM ${table} ${alias} WHERE ${alias}.account_id = a.id ORDER BY ${alias}.id::text COLLATE "C") ${alias})`;
  const gathered = [
    children("charges", "c", ["id", "period", "due_on", "amount_minor"]),
    children("payments", "p", ["id", "paid_on", "amount_minor"]),
    children("actions", "x", ["id", "stage", "done_on", "covers", "channels", "conversation"]),
  ];
  // The paid-up fast path: decided once per account (the lateral `s.paid_up`, see paidUpSql;
  // OFFSET 0 keeps PostgreSQL from pulling it up into each CASE, which would decide four times);
  // a paid-up account's children are not gathered (CASE runs a subquery only on its branch). A unit
  // that names an owner always comes with its rows: the owner pass counts its recorded contacts.
  const holds = has.holds ? "a.holds" : "NULL::text";
  return `SELECT a.id::text, a.segment, a.unit, a.owner_name, a.owner_tags,
  ${(paidUpOn === undefined ? gathered : gathered.map((g) => `CASE WHEN s.paid_up THEN NULL ELSE ${g} END`)).join(",\n  ")},
  ${column("a", "holds")}, ${column("a", "opt_outs")}, ${column("a", "estate")}, ${column("a", "owner_id")}, ${paidUpOn === undefined ? "NULL::boolean" : "s.paid_up"}, ${key}
FROM accounts a${paidUpOn === undefined ? "" : ` CROSS JOIN LATERAL (SELECT (${paidUpSql(paidUpOn, holds)}) AND ${has.owner_id ? "a.owner_id" : "NULL::text"} IS NULL AS paid_up OFFSET 0) s`}
WHERE a.id::text COLLATE "C" > ''${from === "start" ? "" : from === "position" ? ` AND ${key} >= $1::text AND (${key}, a.id::text COLLATE "C") > ($1::text, $2::text)` : ` AND (${has.owner_id ? "NULLIF(a.owner_id::text, '') IS NOT NULL OR " : ""}${key} > $1::text)`}${shardInSql ? ` AND pd_shard_of(${key}, $${shardAt}::integer) = $${shardAt + 1}::integer` : ""}
ORDER BY ${key}, a.id::text COLLATE "C"`;
}

/**
 * The read order's key (shardKeyOf: the owner's id, else the account id), exactly as the
 * `pd_accounts_read_order` index states it, so that PostgreSQL reads that index instead of sorting.
 */
export function readKeySql(has: Pick<Columns, "owner_id">): string {
  return has.owner_id ? `COALESCE(NULLIF(a.owner_id::text, ''), a.id::text) COLLATE "C"` : `a.id::text COLLATE "C"`;
}

/**
 * Where a stream starts: at the start, after a position (`$1` the key, `$2` the id), or after an
 * account id alone (`$1`, a cursor of the id-order versions: every unit that names an owner, and
 * the others after it; see parseCursor).
 */
export type StreamFrom = "start" | "position" | "legacy";

/** The bytea columns of the child tables (or views), as "table.column": `SELECT … LIMIT 0` gives their types. */
export const BYTEA = 17;

/** Ids that cannot be placed in the order: NULL and ''. */
export const UNORDERED_SQL = `SELECT a.id::text FROM accounts a WHERE a.id IS NULL OR a.id::text = ''`;

/**
 * The paid-up fast path's part of the schema (the functions and the unusable-rows indexes): run
 * on a ledger made before it, on first writable use.
 */
export const FAST_PATH_SQL: string = POSTGRES_SCHEMA.slice(POSTGRES_SCHEMA.indexOf("\n-- The paid-up fast path"), POSTGRES_SCHEMA.indexOf("\n-- The read order"));
/** The read order's index on accounts (see readKeySql): run on every writable open that finds it missing, after the added columns. */
export const READ_ORDER_SQL: string = POSTGRES_SCHEMA.slice(POSTGRES_SCHEMA.indexOf("\n-- The read order"));
/** The rest of the schema: the tables and `pd_shard_of`, run before the added columns (which the fast path's indexes read). */
export const TABLES_SQL: string = POSTGRES_SCHEMA.slice(0, POSTGRES_SCHEMA.indexOf("\n-- The paid-up fast path"));

const INDEX = /CREATE INDEX IF NOT EXISTS (pd_(charges|payments|actions)_unusable) ON \2 \(account_id\)\n {2}WHERE ([\s\S]*?) IS NOT TRUE;/g;
const UNUSABLE = [...FAST_PATH_SQL.matchAll(INDEX)].map((m) => ({ name: m[1]!, table: m[2]!, where: `${m[3]!} IS NOT TRUE` }));
// An invariant of the bundled schema file, checked once when the module loads (a build defect, not an input).
if (UNUSABLE.length !== 3) throw new Error("postgres-schema.sql must have one unusable-rows index per child table");

/**
 * Whether the ledger vouches for its rows: each child table (a table, not a view) has its valid
 * unusable-rows index, partial, on account_id, and a unique key on exactly (account_id, id), as
 * the schema's primary key: the sums count each row once only while no id can repeat within an
 * account (a table made by someone else, without that key, could hold a payment twice).
 */
export const VOUCHES_SQL = `SELECT count(*) = 3 FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
WHERE (x.relname, t.oid) IN (${UNUSABLE.map((u) => `('${u.name}', to_regclass('${u.table}'))`).join(", ")}) AND t.relkind IN ('r', 'p') AND i.indisvalid AND i.indpred IS NOT NULL
  AND EXISTS (SELECT 1 FROM pg_index k WHERE k.indrelid = t.oid AND k.indisunique AND k.indisvalid AND k.indpred IS NULL AND k.indexprs IS NULL
    AND ARRAY(SELECT a.attname::text FROM unnest(k.indkey::int2[]) WITH ORDINALITY o(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = o.attnum ORDER BY o.n) = ARRAY['account_id', 'id'])`;

/**
 * true when the account (alias `a`) is paid up on `asOf` and has no holds, and no row of it is in
 * an unusable-rows index. As in SQLite: holds first, then the sums (NULL, so false, when the
 * payments' total is past the exact range), and the index look-ups only for a paid-up account.
 * `asOf` must be a checked `YYYY-MM-DD` (it is written into the statement).
 */
function paidUpSql(asOf: string, holds: string): string {
  const unusable = UNUSABLE.map((u) => `NOT EXISTS (SELECT 1 FROM ${u.table} WHERE account_id = a.id AND ${u.where})`);
  return `CASE WHEN NOT (${holds} IS NULL OR ${holds}::text = '[]') THEN false
  WHEN (SELECT CASE WHEN coalesce(sum(p.amount_minor), 0) <= 9007199254740991 THEN coalesce(sum(p.amount_minor) FILTER (WHERE p.paid_on::text COLLATE "C" <= '${asOf}'), 0) END FROM payments p WHERE p.account_id = a.id)
    >= (SELECT coalesce(sum(c.amount_minor), 0) FROM charges c WHERE c.account_id = a.id)
  THEN ${unusable.join(" AND ")}
  ELSE false END`;
}
