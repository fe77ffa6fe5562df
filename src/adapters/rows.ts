/**
 * Turning a row of an adapter's streaming statement (SQLite, PostgreSQL) into a ledger entry:
 * account columns `[id, segment, unit, owner_name, owner_tags, charges, payments, actions,
 * holds, opt_outs, estate, owner_id]`, the children gathered into JSON by the statement.
 */
import type { Channel } from "../rules/kinds.js";
import type { Issue } from "../rules/errors.js";
import { ledgerIssue, type AccountSnapshot, type ChargeSnapshot, type OwnerSnapshot, type PaymentSnapshot, type RecordedAction } from "../ledger/account.js";
import type { HoldSnapshot } from "../schedule/ladder/hold-types.js";
import { ledgerProblem } from "./common.js";
import type { LedgerEntry } from "../ledger/adapter.js";

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Parses a JSON text column; `undefined` for NULL; values of other types pass through raw. */
export function jsonColumn(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string") return value;
  if (value === "[]") return [];
  return JSON.parse(value) as unknown;
}

/** A stored conversation flag as the snapshot's boolean (INTEGER 0/1 too); other values pass through raw. */
export function conversationOf(value: unknown): unknown {
  return value === 1 ? true : value === 0 ? false : value;
}

/** Whether the account columns that hold JSON (owner_tags, holds, opt_outs) are text, to be parsed in JavaScript, or already JSON. */
export interface TextColumns {
  tags: boolean;
  holds: boolean;
  optOuts: boolean;
}

/** A JSON account column: parsed when it is text, as it is otherwise (jsonb), `undefined` for NULL. */
function accountJson(value: unknown, isText: boolean): unknown {
  return isText ? jsonColumn(value) : value === null || value === undefined ? undefined : value;
}

export interface AssembleOptions {
  /** The rows of one child column (charges, payments, actions), as the adapter's statement gathers them. */
  childRows: (value: unknown) => unknown[][];
  /** Which JSON account columns are text (default: all of them, as in SQLite). */
  text?: TextColumns;
  /**
   * Whether the statement may have put {@link UNREADABLE_KEY} markers in child cells (see
   * {@link unreadableCell}); looked for only then, so the usual rows pay nothing for it.
   */
  marked?: boolean;
}

/**
 * The key of the JSON object an adapter's statement puts in place of a child cell that JSON
 * cannot carry (an SQLite BLOB, a PostgreSQL bytea): `{"pd_unreadable": "a BLOB of 2 bytes"}`.
 * No child cell is ever such an object otherwise, so it cannot be mistaken for a value.
 */
export const UNREADABLE_KEY = "pd_unreadable";

/** SQL that marks a child cell JSON cannot carry, in SQLite (`typeof()`), for the marking statement. */
export function markBlobSqlite(cell: string): string {
  return `CASE WHEN typeof(${cell}) = 'blob' THEN json_object('${UNREADABLE_KEY}', 'a BLOB of ' || length(${cell}) || ' bytes') ELSE ${cell} END`;
}

/** What is unreadable about a cell (a marker, or binary data from the driver), or undefined. */
function unreadableCell(value: unknown, marked: boolean): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (value instanceof Uint8Array) return `binary data (${value.length} bytes), not text or a number`;
  if (marked && UNREADABLE_KEY in value) return `${String((value as Record<string, unknown>)[UNREADABLE_KEY])}, not text or a number`;
  return undefined;
}

/** The snapshot fields of each child column, in the statement's order, for naming an unreadable cell. */
const CHILD_FIELDS = {
  charges: ["id", "period", "dueOn", "amountMinor"],
  payments: ["id", "on", "amountMinor"],
  actions: ["id", "stage", "on", "covers", "channels", "conversation"],
} as const;

/** The account columns of the streamed row (by index) and their snapshot paths. */
const ACCOUNT_FIELDS: readonly (readonly [number, string])[] = [
  [1, "segment"],
  [2, "unit"],
  [3, "owner.name"],
  [4, "owner.tags"],
  [8, "holds"],
  [9, "optOuts"],
  [10, "estate"],
  [11, "owner.id"],
];

const ALL_TEXT: TextColumns = { tags: true, holds: true, optOuts: true };

/** One ledger entry from a row of the streaming statement, at `cursor` (its place in the read order). */
export function assembleEntry(id: string, cursor: string, row: unknown[], options: AssembleOptions): LedgerEntry {
  const { childRows } = options;
  const text = options.text ?? ALL_TEXT;
  const problems: Issue[] = [];
  const unreadable = (path: string, what: string, error: unknown) => problems.push(ledgerIssue("unreadable", path, `${what} (${errorText(error)})`));
  const charges: ChargeSnapshot[] = [];
  const payments: PaymentSnapshot[] = [];
  const actions: RecordedAction[] = [];
  const account: AccountSnapshot = { id, charges, payments, actions };
  // A cell the driver could not hand over as text or a number makes the account unreadable there.
  for (const [index, path] of ACCOUNT_FIELDS) {
    const what = unreadableCell(row[index], false);
    if (what !== undefined) problems.push(ledgerIssue("unreadable", path, what));
  }
  const marked = options.marked === true;
  try {
    if (marked)
      for (const [column, table] of [[5, "charges"], [6, "payments"], [7, "actions"]] as const)
        childRows(row[column]).forEach((cells, i) =>
          cells.forEach((cell, j) => {
            const what = unreadableCell(cell, true);
            if (what !== undefined) problems.push(ledgerIssue("unreadable", `${table}[${i}].${CHILD_FIELDS[table][j] ?? j}`, what));
          }),
        );
    if (problems.length > 0) return ledgerProblem(id, id, problems);
    for (const c of childRows(row[5])) charges.push({ id: c[0] as string, period: c[1] as string, dueOn: c[2] as string, amountMinor: c[3] as number });
    for (const p of childRows(row[6])) payments.push({ id: p[0] as string, on: p[1] as string, amountMinor: p[2] as number });
    for (const x of childRows(row[7])) {
      const at = `actions[${actions.length}]`;
      const action: RecordedAction = { id: x[0] as string, stage: x[1] as string, on: x[2] as string };
      try {
        const covers = jsonColumn(x[3]);
        if (covers !== undefined) action.covers = covers as string[];
      } catch (error) {
        unreadable(`${at}.covers`, `action ${JSON.stringify(x[0])}: covers is not valid JSON`, error);
      }
      try {
        const channels = jsonColumn(x[4]);
        if (channels !== undefined) action.channels = channels as Channel[];
      } catch (error) {
        unreadable(`${at}.channels`, `action ${JSON.stringify(x[0])}: channels is not valid JSON`, error);
      }
      if (x[5] !== null && x[5] !== undefined) action.conversation = conversationOf(x[5]) as boolean;
      actions.push(action);
    }
  } catch (error) {
    problems.push(ledgerIssue("unreadable", "", `cannot read its rows: ${errorText(error)}`));
  }
  if (row[1] !== null) account.segment = row[1] as AccountSnapshot["segment"];
  if (row[2] !== null) account.unit = row[2] as string;
  if (row[10] !== null && row[10] !== undefined) account.estate = row[10] as string;
  if (row[3] !== null || row[4] !== null || (row[11] !== null && row[11] !== undefined)) {
    const owner: OwnerSnapshot = {};
    if (row[11] !== null && row[11] !== undefined) owner.id = row[11] as string;
    if (row[3] !== null) owner.name = row[3] as string;
    try {
      const tags = accountJson(row[4], text.tags);
      if (tags !== undefined) owner.tags = tags as string[];
    } catch (error) {
      unreadable("owner.tags", "owner_tags is not valid JSON", error);
    }
    account.owner = owner;
  }
  try {
    const holds = accountJson(row[8], text.holds);
    if (holds !== undefined) account.holds = holds as HoldSnapshot[];
  } catch (error) {
    unreadable("holds", "holds is not valid JSON", error);
  }
  try {
    const optOuts = accountJson(row[9], text.optOuts);
    if (optOuts !== undefined) account.optOuts = optOuts as Channel[];
  } catch (error) {
    unreadable("optOuts", "opt_outs is not valid JSON", error);
  }
  return problems.length === 0 ? { ok: true, cursor, account } : ledgerProblem(cursor, id, problems);
}
