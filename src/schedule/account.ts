/**
 * Account snapshots: what the scheduler knows of one unit's ledger. Adapters produce them from
 * rows; `normalizeAccount` checks one and turns its dates into epoch days once, so that planning
 * does integer arithmetic only. A bad account yields issues naming the field; it never throws.
 */
import { CHANNELS, type Channel } from "../rules/kinds.js";
import { parseCivilDate, parsePeriod, type EpochDay, type MonthIndex } from "./civil-date.js";
import { normalizeHolds, type Hold, type HoldSnapshot } from "./hold-types.js";
import { formatIssues, type Issue } from "../rules/errors.js";

/** One charge (a bill for one period), as a ledger states it. */
export interface ChargeSnapshot {
  /** Unique within the account. */
  id: string;
  /** Billing period `YYYY-MM`. */
  period: string;
  /** Civil date the charge is due, `YYYY-MM-DD` in the policy's time zone. */
  dueOn: string;
  /** Amount billed, integer minor units (fen). */
  amountMinor: number;
}

/** One payment received. */
export interface PaymentSnapshot {
  id: string;
  /** Civil date received. */
  on: string;
  /** Integer minor units, positive. */
  amountMinor: number;
}

/** One action already carried out, as recorded back by the vendor. */
export interface RecordedAction {
  /** The planned action's `id`. */
  id: string;
  /** The stage of the planned action. */
  stage: string;
  /** Civil date it was carried out. */
  on: string;
  /** Instance keys the action covered (the planned action's `covers`); when absent, `id` alone counts. */
  covers?: string[];
  /** The channels actually used, when they differ from the stage's. */
  channels?: Channel[];
  /** True when a call or visit reached the owner and a conversation took place (starts the quiet period). */
  conversation?: boolean;
}

export interface OwnerSnapshot {
  name?: string;
  /** Tags such as `elderly`; conditions and protections read them. */
  tags?: string[];
}

/** Everything the scheduler reads about one account. Plain JSON. */
export interface AccountSnapshot {
  id: string;
  segment?: "residential" | "commercial";
  unit?: string;
  owner?: OwnerSnapshot;
  charges: ChargeSnapshot[];
  payments?: PaymentSnapshot[];
  actions?: RecordedAction[];
  /** Disputes, installment plans, promises to pay, manual exemptions. */
  holds?: HoldSnapshot[];
  /** Channels the owner has opted out of. */
  optOuts?: Channel[];
}

/** A charge with its dates as epoch days; charges are kept oldest due first. */
export interface Charge {
  id: string;
  period: string;
  month: MonthIndex;
  due: EpochDay;
  amount: number;
}

export interface Payment {
  id: string;
  on: EpochDay;
  amount: number;
}

export interface Recorded {
  id: string;
  stage: string;
  on: EpochDay;
  covers: readonly string[] | undefined;
  channels: readonly Channel[] | undefined;
  conversation: boolean;
}

/** A checked account, ready for planning. */
export interface Account {
  id: string;
  snapshot: AccountSnapshot;
  charges: Charge[];
  payments: Payment[];
  actions: Recorded[];
  holds: Hold[];
  optOuts: ReadonlySet<Channel>;
}

/**
 * One problem with an account, naming the field: the same shape as a policy's issues (`code`,
 * `path` relative to the account, `message`), printed by the same {@link formatIssues}.
 * Codes: see {@link LEDGER_ISSUE_CODES}.
 */
export type AccountIssue = Issue;

/**
 * What can be wrong with a ledger's account, by `code`. Adapters report rows they cannot read
 * with the same codes, so that one account's problems read alike whatever the ledger.
 */
export const LEDGER_ISSUE_CODES = {
  invalid_type: "a field of the wrong type (not an object, array, string or number)",
  invalid_id: "an id that is missing or empty",
  invalid_date: "a date that is not a real calendar date YYYY-MM-DD",
  invalid_period: "a billing period that is not YYYY-MM",
  invalid_amount: "an amount that is not an integer of minor units in range",
  unsafe_total: "amounts whose sum leaves the range in which money is exact",
  invalid_value: "a value outside its list (segment, channel, hold type, severity, scope)",
  duplicate_id: "the same id twice where ids must be unique",
  unresolved_reference: "a reference (a hold's charges) that names nothing on the account",
  unreadable: "a stored value that cannot be read (malformed JSON, a binary cell)",
  duplicate_account: "the same account id twice in one ledger",
  orphan_row: "a charge, payment or action row whose account does not exist",
} as const;
export type LedgerIssueCode = keyof typeof LEDGER_ISSUE_CODES;

/** An account issue with a {@link LedgerIssueCode}. */
export function ledgerIssue(code: LedgerIssueCode, path: string, message: string): Issue {
  return { code, path, message };
}

export type NormalizeResult =
  | { ok: true; account: Account }
  | { ok: false; accountId: string; issues: AccountIssue[] };

function isObject(value: unknown): value is Record<string, unknown> {
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

/** Whether a sum of non-negative safe integers is still exact: once the true sum passes 2^53 − 1, the float sum is ≥ 2^53. */
export function exactSum(sum: number): boolean {
  return sum <= Number.MAX_SAFE_INTEGER;
}

/**
 * An amount worked out while planning (a late fee, a total owed) that cannot be stated exactly,
 * though every amount of the account is in range: `plan()` reports the account with `issue`
 * (`unsafe_total`) instead of an inexact amount. A `RangeError`, as the late-fee functions
 * document.
 */
export class UnsafeAmountError extends RangeError {
  readonly issue: AccountIssue;
  constructor(path: string, what: string) {
    const message = `${what} exceeds ${Number.MAX_SAFE_INTEGER} minor units, past which amounts are not exact (a late-fee cap bounds it)`;
    super(message);
    this.name = "UnsafeAmountError";
    this.issue = ledgerIssue("unsafe_total", path, message);
  }
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
    else if (raw.owner.tags !== undefined && !isStringArray(raw.owner.tags))
      issues.push(ledgerIssue("invalid_type", "owner.tags", "must be an array of strings"));
  }
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

/** Human text for an account's issues: `A-1201: charges[2].dueOn: must be a date …` (one printer: {@link formatIssues}). */
export function formatAccountIssues(accountId: string, issues: readonly AccountIssue[]): string {
  return formatIssues(issues.map((i) => ({ ...i, path: i.path ? `${accountId}: ${i.path}` : accountId })));
}
