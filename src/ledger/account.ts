/**
 * Account snapshots: what the scheduler knows of one unit's ledger, as adapters produce them from
 * rows, and the checked accounts planning reads (dates as epoch days); the issues a bad account
 * is reported with. Checking one is check-account.ts.
 */
import type { Channel } from "../rules/kinds.js";
import type { EpochDay, MonthIndex } from "../schedule/time/civil-date.js";
import type { Hold, HoldSnapshot } from "../schedule/ladder/hold-types.js";
import { formatIssues, PropertyDunningError, type Issue } from "../rules/errors.js";

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

/**
 * Who holds the unit. Owner-level (shared by every unit with the same `id`): `tags` (protections
 * and conditions read them) and the account's `optOuts`; a tag or opt-out on one unit applies to
 * all the owner's units when they are planned together (`plan()`). Everything else (charges,
 * payments, holds, recorded actions, segment, estate) stays the unit's.
 */
export interface OwnerSnapshot {
  /** The owner's id in the ledger, shared by all their units (a flat and a parking space, say); absent: the unit is its own owner. */
  id?: string;
  name?: string;
  /** Tags such as `elderly`; conditions and protections read them. */
  tags?: string[];
}

/** Everything the scheduler reads about one account. Plain JSON. */
export interface AccountSnapshot {
  id: string;
  segment?: "residential" | "commercial";
  /** The estate (managed compound or building) the unit belongs to, in a ledger that holds several; it chooses the policy (`PlanOptions.estates`). */
  estate?: string;
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

/**
 * Who is contacted about an account: its `owner.id`, or the account itself when it has none (a
 * unit that is its own owner, as in ledgers without owner ids).
 */
export function ownerKeyOf(snapshot: Pick<AccountSnapshot, "id" | "owner">): string {
  return snapshot.owner?.id ?? snapshot.id;
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
  out_of_order: "a unit whose owner's units a ledger did not stream together (the read order: owner id, else account id; then account id)",
  orphan_row: "a charge, payment or action row whose account does not exist",
  unknown_stage: "a recorded action (or an instance it covers) of a stage the policy does not have and its `continues` does not name",
  no_policy: "an account whose estate has no policy for its segment, when policies are named per estate (PlanOptions.estates) and none is given for the segment",
  mixed_currency: "an account (in a report) whose policy, its segment's built-in, counts money in another currency than the policies given",
} as const;
export type LedgerIssueCode = keyof typeof LEDGER_ISSUE_CODES;

/** An account issue with a {@link LedgerIssueCode}. */
export function ledgerIssue(code: LedgerIssueCode, path: string, message: string): Issue {
  return { code, path, message };
}

/** Whether a sum of non-negative safe integers is still exact: once the true sum passes 2^53 − 1, the float sum is ≥ 2^53. */
export function exactSum(sum: number): boolean {
  return sum <= Number.MAX_SAFE_INTEGER;
}

/**
 * An amount worked out while planning (a late fee, a total owed) that cannot be stated exactly,
 * though every amount of the account is in range: `plan()` reports the account with `issue`
 * (`unsafe_total`, at `path`) instead of an inexact amount.
 */
export class UnsafeAmountError extends PropertyDunningError {
  declare readonly code: "unsafe_total";
  readonly issue: AccountIssue;
  constructor(path: string, what: string) {
    const message = `${what} exceeds ${Number.MAX_SAFE_INTEGER} minor units, past which amounts are not exact (a late-fee cap bounds it)`;
    super("unsafe_total", message, { path });
    this.name = "UnsafeAmountError";
    this.issue = ledgerIssue("unsafe_total", path, message);
  }
}

export function isUnsafeAmountError(error: unknown): error is UnsafeAmountError {
  return error instanceof UnsafeAmountError;
}

/** Human text for an account's issues: `A-1201: charges[2].dueOn: must be a date …` (one printer: {@link formatIssues}). */
export function formatAccountIssues(accountId: string, issues: readonly AccountIssue[]): string {
  return formatIssues(issues.map((i) => ({ ...i, path: i.path ? `${accountId}: ${i.path}` : accountId })));
}
