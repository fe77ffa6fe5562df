/** What the scheduler yields: one action, with everything a notice prints and an auditor asks. */
import type { Channel, StageKind } from "../../rules/kinds.js";
import type { Trigger } from "../../rules/schema.js";

/**
 * An action's id: `account:stage@anchor`. A `%` or `:` in the account id is written `%25` or `%3A`,
 * so that the first `:` always ends the account: otherwise account `A` with charge
 * `B:dunning_notice@c` and account `A:dunning_notice@B` with charge `c` would share an id in one
 * plan. Stage ids have neither character, so `stage@anchor` needs no escaping. Ids without `%` or
 * `:` are unchanged.
 *
 * @example
 * actionId("A-1201", "dunning_notice@c1")  // "A-1201:dunning_notice@c1"
 * actionId("BLDG:3", "dunning_notice@c1")  // "BLDG%3A3:dunning_notice@c1"
 */
export function actionId(accountId: string, key: string): string {
  return `${actionIdPrefix(accountId)}:${key}`;
}

/** The part of an action id before its `:`: the account id with `%` and `:` escaped. */
export function actionIdPrefix(accountId: string): string {
  return accountId.includes("%") || accountId.includes(":") ? accountId.replaceAll("%", "%25").replaceAll(":", "%3A") : accountId;
}

/**
 * The instance key `stage@anchor` of an action id of `accountId`'s, or `undefined` when the id is
 * not one of its: the one reader of {@link actionId}'s ids. It also reads an id recorded before
 * the escaping (the account raw), since the id is known to be this account's.
 *
 * @example
 * keyOfActionId("BLDG:3", "BLDG%3A3:dunning_notice@c1") // "dunning_notice@c1"
 * keyOfActionId("A-1", "A-2:dunning_notice@c1")         // undefined
 */
export function keyOfActionId(accountId: string, id: string): string | undefined {
  for (const prefix of [actionIdPrefix(accountId), accountId])
    if (id.length > prefix.length && id.startsWith(prefix) && id[prefix.length] === ":") return id.slice(prefix.length + 1);
  return undefined;
}

/** One charge an action concerns. */
export interface ActionCharge {
  id: string;
  period: string;
  dueOn: string;
  amountMinor: number;
  /** Principal still unpaid on the planning day, under the policy's payment order. */
  unpaidMinor: number;
  /** Late fee still owed on it on the planning day: accrued under the policy's clause, less what payments paid of it (0 without a clause). */
  lateFeeMinor: number;
  /** Past its due date on the planning day. */
  overdue: boolean;
}

/** One stage instance an action carries out: the primary one and any less severe ones due the same day. */
export interface CoveredStage {
  /** `stage@charge`: the stage and the charge it is anchored on (for arrears stages, the oldest unpaid charge). */
  key: string;
  stage: string;
  kind: StageKind;
  /** The day this instance fell due. */
  dueOn: string;
}

/** Why an action happened: the rule and the facts, for auditors. */
export interface Because {
  /** One sentence for people. */
  summary: string;
  stage: { id: string; kind: StageKind; title?: string; source?: string };
  trigger: Trigger;
  triggerText: string;
  /** The day the trigger alone gives (the regular timeline). */
  regularOn: string;
  /** Present when the stage follows another warning: that warning and the days kept after it (the regular gap when that warning was carried out later than first owed, else the days between the two calendar days). */
  after?: { stage: string; on: string; gapDays: number };
  /** Present for a lawyer's letter or legal review: the written demand whose deadline has passed. */
  demand?: { stage: string; on: string; deadlineOn: string };
  /** Holds in force on the planning day, and for a hold's own action, why it is due. */
  holds?: string[];
  /** Channel changes: protections for a tagged owner, opt-outs, frequency caps. */
  delivery?: string[];
  /** Present when the planning day or the deadline falls in a year whose public holidays the calendar does not know yet (that year's State Council notice is not in the data): those days may move. */
  calendar?: string;
  /** Present when the stage has conditions: their text and the values of the facts they read. */
  conditions?: { text: string; facts: Record<string, unknown> };
  /** The account's facts on the planning day, as the ladder counts them (every payment against principal, oldest charge first). */
  facts: {
    asOf: string;
    anchorChargeId: string;
    oldestUnpaidDueOn?: string;
    arrearsMonths: number;
    overdueMinor: number;
    overdueCharges: number;
  };
}

export interface PlannedAction {
  /**
   * Deterministic: `account:stage@charge` ({@link actionId}). The same account, stage and anchor
   * give the same id on every run and machine, and two accounts never share one.
   */
  id: string;
  accountId: string;
  policy: { id: string; version: string };
  /** The primary (most severe) stage. */
  stage: string;
  kind: StageKind;
  title?: string;
  channels: Channel[];
  /** Addressed to the owner, or to staff (a legal review, a follow-up task). */
  audience: "owner" | "staff";
  /** When the action may be carried out on `plannedOn`: two instants with the policy zone's offset (the channels' common hours). */
  window?: { from: string; to: string };
  /** Offers made with the action to a protected owner (installment plan, home collection, help). */
  offers?: string[];
  /** The day the primary stage fell due (earlier than `plannedOn` when planning catches up). */
  dueOn: string;
  /** The day this plan was made for (`asOf`, or the forecast day). */
  plannedOn: string;
  /** Total unpaid principal past its due date on `plannedOn` under the policy's payment order, in minor units. */
  overdueMinor: number;
  /** Total unpaid principal of the charges listed, due or not yet due, in minor units. */
  unpaidMinor: number;
  /** Late fees still owed on the charges listed on `plannedOn`: accrued less paid (0 when the policy has no late-fee clause). */
  lateFeeMinor: number;
  /** `overdueMinor + lateFeeMinor`: what the notice asks for now. */
  totalMinor: number;
  currency: string;
  /** Digits of the currency's minor unit (the policy's `currency.minorDigits`: 2 for fen and cents): how to read every `…Minor` amount. */
  minorDigits: number;
  /** For a final notice or formal letter: pay by this day (counted from `plannedOn`). */
  deadlineOn?: string;
  /** A person must review and approve before the action is carried out (the stage says so, or a protection requires approval). */
  requiresReview: boolean;
  /** Unpaid charges the action concerns, oldest first: principal unpaid under the policy's payment order, past due or carried out by this action. */
  charges: ActionCharge[];
  /** Every stage instance this action carries out; record them all (`covers`) so none is sent again. */
  covers: CoveredStage[];
  because: Because;
  /** Present on the one notice an owner gets for several units the same day (the policy's `owners.oneNoticePerOwner`): every unit's overdue amounts. */
  ownerNotice?: OwnerNotice;
  /** Present when this unit's action goes inside another unit's owner notice (that action's `id`): record it, do not send it. Its `channels` are empty: the notice's are on the carrying action. Only written notices are carried. */
  sentWith?: string;
}

/** One unit on an owner's notice: its overdue amounts on the day, and the action it goes with when it has one that day. */
export interface OwnerNoticeUnit {
  accountId: string;
  unit?: string;
  /** The unit's action that day, carried by the notice (absent for a unit that owes but has no stage due that day). */
  actionId?: string;
  stage?: string;
  /**
   * The unit's own pay-by day, when its action that day states one (a final notice or a formal
   * letter: its stage's `deadlineDays` after `plannedOn`, under the unit's own policy, e.g. 15
   * days after a final notice). Absent for a unit whose action states none, and always for a unit
   * that merely owes (no action that day): nothing was demanded of it by a date.
   */
  deadlineOn?: string;
  overdueMinor: number;
  lateFeeMinor: number;
  totalMinor: number;
  charges: ActionCharge[];
}

/** One notice to an owner for several units: every unit that owes on the day, its amounts, and the totals. */
export interface OwnerNotice {
  ownerId: string;
  units: OwnerNoticeUnit[];
  overdueMinor: number;
  lateFeeMinor: number;
  totalMinor: number;
}
