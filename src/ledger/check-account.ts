/**
 * Checking an account snapshot: `normalizeAccount` checks one and turns its dates into epoch days
 * once, so that planning does integer arithmetic only. A bad account yields issues naming the
 * field; it never throws.
 */
import { CHANNELS, type Channel } from "../rules/kinds.js";
import { parseCivilDate, parsePeriod } from "../schedule/time/civil-date.js";
import { normalizeHolds } from "../schedule/ladder/hold-types.js";
import { exactSum, ledgerIssue, type Account, type AccountIssue, type AccountSnapshot, type Charge, type Payment, type Recorded } from "./account.js";

export type NormalizeResult =
  | { ok: true; account: Account }
  | { ok: false; accountId: string; issues: AccountIssue[] };

/** A JSON object (not null, not an array): what a snapshot, a charge or an action must be. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isMinor(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/** Whether `list` is an array of strings. */
function isStringArray(list: unknown): list is string[] {
  if (!Array.isArray(list)) return false;
  for (const x of list) if (typeof x !== "string") return false;
  return true;
}

const CHANNEL_SET: ReadonlySet<unknown> = new Set(CHANNELS);

/** Whether `list` is an array of channels. */
function isChannelArray(list: unknown): list is Channel[] {
  if (!Array.isArray(list)) return false;
  for (const x of list) if (!CHANNEL_SET.has(x)) return false;
  return true;
}

/**
 * Whether the ids of `list` (a ledger's charges or payments, unchecked) rise strictly, as most
 * ledgers list them: then no id can repeat, and the checks need no set of the ids seen.
 */
function idsRise(list: unknown[]): boolean {
  let previous = "";
  for (const x of list) {
    const id = isObject(x) ? x.id : undefined;
    if (typeof id !== "string" || !(previous < id)) return false;
    previous = id;
  }
  return true;
}

/** Sorts `list` by `order` unless it is in that order already (as a ledger usually lists it). */
function sortUnlessSorted<T>(list: T[], order: (a: T, b: T) => number): void {
  for (let i = 1; i < list.length; i++)
    if (order(list[i - 1]!, list[i]!) > 0) {
      list.sort(order);
      return;
    }
}

const byDue = (a: Charge, b: Charge) => a.due - b.due || a.month - b.month || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byDay = (a: Payment | Recorded, b: Payment | Recorded) => a.on - b.on || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const NO_OPT_OUTS: ReadonlySet<Channel> = new Set();

/**
 * Checks one recorded action (at `path`, e.g. `actions[3]`), pushing an issue per bad field; the
 * action converted for planning, or `undefined` when it has issues. The one statement of what a
 * recorded action must be: `normalizeAccount` reads a ledger's actions with it, and every
 * adapter's `record()` checks what it is given with it before storing anything.
 */
export function checkRecordedAction(a: unknown, path: string, issues: AccountIssue[]): Recorded | undefined {
  return recordedAction(a, path, -1, issues);
}

/** The path of the item at `index` of the list at `list` (-1: `list` itself). */
function pathOf(list: string, index: number): string {
  return index < 0 ? list : `${list}[${index}]`;
}

/**
 * {@link checkRecordedAction} of the action at `index` of the list at `list` (-1: the action is at
 * `list` itself). Its path is written only for an issue: most actions have none.
 */
function recordedAction(a: unknown, list: string, index: number, issues: AccountIssue[]): Recorded | undefined {
  if (!isObject(a)) {
    issues.push(ledgerIssue("invalid_type", pathOf(list, index), "must be an object"));
    return undefined;
  }
  const before = issues.length;
  const on = typeof a.on === "string" ? parseCivilDate(a.on) : undefined;
  if (typeof a.id !== "string" || a.id.length === 0) issues.push(ledgerIssue("invalid_id", `${pathOf(list, index)}.id`, `must be a non-empty string (got ${shown(a.id)})`));
  if (typeof a.stage !== "string") issues.push(ledgerIssue("invalid_type", `${pathOf(list, index)}.stage`, `must be a string (got ${shown(a.stage)})`));
  if (on === undefined) issues.push(ledgerIssue("invalid_date", `${pathOf(list, index)}.on`, `must be a date YYYY-MM-DD (got ${shown(a.on)})`));
  const covers = a.covers;
  if (covers !== undefined && !isStringArray(covers)) issues.push(ledgerIssue("invalid_type", `${pathOf(list, index)}.covers`, "must be an array of strings"));
  const channels = a.channels;
  if (channels !== undefined && !isChannelArray(channels))
    issues.push(ledgerIssue("invalid_value", `${pathOf(list, index)}.channels`, `must be an array of channels (${CHANNELS.join(", ")})`));
  if (a.conversation !== undefined && a.conversation !== null && typeof a.conversation !== "boolean")
    issues.push(ledgerIssue("invalid_type", `${pathOf(list, index)}.conversation`, `must be true or false (got ${shown(a.conversation)})`));
  if (issues.length > before) return undefined;
  return { id: a.id as string, stage: a.stage as string, on: on!, covers: covers as string[] | undefined, channels: channels as Channel[] | undefined, conversation: a.conversation === true };
}

/** A value as a message quotes it (`undefined` for a missing one). */
function shown(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

/**
 * Checks one account snapshot and converts it for planning. Charges are sorted oldest due first
 * (then by period and id), payments by date (then id), so the result does not depend on the
 * order the ledger listed them in.
 */
export function normalizeAccount(raw: unknown): NormalizeResult {
  const issues: AccountIssue[] = [];
  if (!isObject(raw)) return { ok: false, accountId: "?", issues: [ledgerIssue("invalid_type", "", "must be an object")] };
  const id = raw.id;
  const accountId = typeof id === "string" && id.length > 0 ? id : "?";
  if (accountId === "?") issues.push(ledgerIssue("invalid_id", "id", "must be a non-empty string"));

  const charges: Charge[] = [];
  if (!Array.isArray(raw.charges)) issues.push(ledgerIssue("invalid_type", "charges", "must be an array"));
  else {
    let total = 0;
    const seen = idsRise(raw.charges) ? undefined : new Set<string>();
    for (let i = 0; i < raw.charges.length; i++) {
      const c: unknown = raw.charges[i];
      if (!isObject(c)) {
        issues.push(ledgerIssue("invalid_type", `charges[${i}]`, "must be an object"));
        continue;
      }
      const month = typeof c.period === "string" ? parsePeriod(c.period) : undefined;
      const due = typeof c.dueOn === "string" ? parseCivilDate(c.dueOn) : undefined;
      let ok = true;
      if (typeof c.id !== "string" || c.id.length === 0) (ok = false), issues.push(ledgerIssue("invalid_id", `charges[${i}].id`, "must be a non-empty string"));
      else if (seen?.has(c.id)) (ok = false), issues.push(ledgerIssue("duplicate_id", `charges[${i}].id`, `duplicate charge id ${JSON.stringify(c.id)}`));
      else seen?.add(c.id);
      if (month === undefined) (ok = false), issues.push(ledgerIssue("invalid_period", `charges[${i}].period`, `must be YYYY-MM (got ${JSON.stringify(c.period)})`));
      if (due === undefined) (ok = false), issues.push(ledgerIssue("invalid_date", `charges[${i}].dueOn`, `must be a date YYYY-MM-DD (got ${JSON.stringify(c.dueOn)})`));
      if (!isMinor(c.amountMinor) || c.amountMinor < 0)
        (ok = false), issues.push(ledgerIssue("invalid_amount", `charges[${i}].amountMinor`, `must be a non-negative integer of minor units (got ${JSON.stringify(c.amountMinor)})`));
      if (ok) charges.push({ id: c.id as string, period: c.period as string, month: month!, due: due!, amount: c.amountMinor as number }), (total += c.amountMinor as number);
    }
    if (!exactSum(total))
      issues.push(ledgerIssue("unsafe_total", "charges", `the charges add up to more than ${Number.MAX_SAFE_INTEGER} minor units, past which sums are not exact`));
  }

  const payments: Payment[] = [];
  if (raw.payments !== undefined && !Array.isArray(raw.payments)) issues.push(ledgerIssue("invalid_type", "payments", "must be an array"));
  else if (raw.payments !== undefined) {
    // Ids are the payments' keys (the SQL ledgers' primary key): the same id twice is one payment counted twice.
    let total = 0;
    const seen = idsRise(raw.payments) ? undefined : new Set<string>();
    for (let i = 0; i < raw.payments.length; i++) {
      const p: unknown = raw.payments[i];
      if (!isObject(p)) {
        issues.push(ledgerIssue("invalid_type", `payments[${i}]`, "must be an object"));
        continue;
      }
      const on = typeof p.on === "string" ? parseCivilDate(p.on) : undefined;
      let ok = true;
      if (typeof p.id !== "string") (ok = false), issues.push(ledgerIssue("invalid_type", `payments[${i}].id`, "must be a string"));
      else if (seen?.has(p.id)) (ok = false), issues.push(ledgerIssue("duplicate_id", `payments[${i}].id`, `duplicate payment id ${JSON.stringify(p.id)}`));
      else seen?.add(p.id);
      if (on === undefined) (ok = false), issues.push(ledgerIssue("invalid_date", `payments[${i}].on`, `must be a date YYYY-MM-DD (got ${JSON.stringify(p.on)})`));
      if (!isMinor(p.amountMinor) || p.amountMinor <= 0)
        (ok = false), issues.push(ledgerIssue("invalid_amount", `payments[${i}].amountMinor`, `must be a positive integer of minor units (got ${JSON.stringify(p.amountMinor)})`));
      if (ok) payments.push({ id: p.id as string, on: on!, amount: p.amountMinor as number }), (total += p.amountMinor as number);
    }
    if (!exactSum(total))
      issues.push(ledgerIssue("unsafe_total", "payments", `the payments add up to more than ${Number.MAX_SAFE_INTEGER} minor units, past which sums are not exact`));
  }

  const actions: Recorded[] = [];
  if (raw.actions !== undefined && !Array.isArray(raw.actions)) issues.push(ledgerIssue("invalid_type", "actions", "must be an array"));
  else if (raw.actions !== undefined) {
    // A repeated action id is kept as listed (the log says what was done): record() never writes
    // one and the SQL ledgers' key cannot hold one, but the proof kit's ledgers (src/testing) do.
    for (let i = 0; i < raw.actions.length; i++) {
      const a = recordedAction(raw.actions[i], "actions", i, issues);
      if (a !== undefined) actions.push(a);
    }
  }

  if (raw.owner !== undefined) {
    if (!isObject(raw.owner)) issues.push(ledgerIssue("invalid_type", "owner", "must be an object"));
    else {
      if (raw.owner.tags !== undefined && !isStringArray(raw.owner.tags)) issues.push(ledgerIssue("invalid_type", "owner.tags", "must be an array of strings"));
      if (raw.owner.id !== undefined && (typeof raw.owner.id !== "string" || raw.owner.id.length === 0))
        issues.push(ledgerIssue("invalid_id", "owner.id", `must be a non-empty string, or absent when the unit is its own owner (got ${shown(raw.owner.id)})`));
    }
  }
  if (raw.estate !== undefined && (typeof raw.estate !== "string" || raw.estate.length === 0))
    issues.push(ledgerIssue("invalid_id", "estate", `must be a non-empty string, or absent (got ${shown(raw.estate)})`));
  if (raw.segment !== undefined && raw.segment !== "residential" && raw.segment !== "commercial")
    issues.push(ledgerIssue("invalid_value", "segment", `must be residential or commercial (got ${JSON.stringify(raw.segment)})`));

  const holds = normalizeHolds(raw.holds, issues, raw.charges);
  const optOuts = raw.optOuts;
  if (optOuts !== undefined && !isChannelArray(optOuts))
    issues.push(ledgerIssue("invalid_value", "optOuts", `must be an array of channels (${CHANNELS.join(", ")})`));

  if (issues.length > 0) return { ok: false, accountId, issues };
  sortUnlessSorted(charges, byDue);
  sortUnlessSorted(payments, byDay);
  sortUnlessSorted(actions, byDay);
  return {
    ok: true,
    account: { id: accountId, snapshot: raw as unknown as AccountSnapshot, charges, payments, actions, holds, optOuts: optOuts === undefined || (optOuts as Channel[]).length === 0 ? NO_OPT_OUTS : new Set(optOuts as Channel[]) },
  };
}

