/**
 * The demo estate's holds: disputes, installment plans, promises to pay, manual holds and
 * channel opt-outs, given to late payers and debtors in realistic shares.
 */
import type { Channel } from "../rules/kinds.js";
import type { DisputeSeverity, HoldSnapshot } from "../schedule/ladder/hold-types.js";
import type { ChargeSnapshot } from "../ledger/account.js";
import { unpaidOldestFirst } from "../schedule/fees/allocation.js";
import { dayOfMonth, formatCivilDate, monthIndexOfDay, type EpochDay, type MonthIndex } from "../schedule/time/civil-date.js";
import type { Random } from "./random.js";

// The demo's payers, months and payments: declared here, where estate.ts hands them to holdsFor
// (estate.ts imports this file, so declaring them there would make an import cycle).
/**
 * How an account pays:
 * - `prompt` (~70%): every month's fee within that month, before the 25th;
 * - `late` (~15%): one to three months late, sometimes only part of it;
 * - `debtor` (~8%): paid (promptly or late) until 4–20 months ago, then stopped;
 * - `entrusted` (~3%): a vacant unit in the management office's care (owner tag `entrusted`),
 *   its arrears settled once a year;
 * - `sporadic` (~4%): settles all arrears every two to five months.
 */
export type PayerBehaviour = "prompt" | "late" | "debtor" | "entrusted" | "sporadic";

export interface Month {
  index: MonthIndex;
  charge: ChargeSnapshot;
  due: EpochDay;
}

/** A payment before ids are given: date and amount. */
export interface Paid {
  on: EpochDay;
  amount: number;
}

/**
 * Shares of the whole estate with each kind of hold. Disputes, installment plans and promises to
 * pay go to late payers and debtors only (about a quarter of the estate, hence the larger odds
 * among them); manual holds and opt-outs to anyone.
 */
const HOLD_SHARES = { dispute: 0.015, installmentPlan: 0.01, promiseToPay: 0.01, manual: 0.003, optOut: 0.008 } as const;
/** About this share of the estate are late payers or debtors. */
const BEHIND_SHARE = 0.24;
const SEVERITIES: Record<DisputeSeverity, number> = { major: 20, important: 35, minor: 45 };
const DISPUTE_NOTES = ["电梯维修不及时", "楼道照明长期损坏", "漏水未处理", "停车位被占", "对收费面积有异议"] as const;
const MANUAL_REASONS = ["诉讼中，法务暂缓", "owner deceased, estate in probate", "已申请法律援助", "与开发商纠纷待裁决"] as const;
const OPT_OUTS: readonly (readonly Channel[])[] = [["sms"], ["sms"], ["wechat"], ["sms", "appPush"], ["phone"]];

/** A charge the payments (settling the oldest first) leave unpaid, and how much of it is owed. */
interface Unpaid {
  month: Month;
  owed: number;
}

function unpaidMonths(months: readonly Month[], paid: readonly Paid[]): Unpaid[] {
  const owed = unpaidOldestFirst(months.map((m) => ({ amount: m.charge.amountMinor })), paid, Infinity);
  return months.flatMap((month, i) => (owed[i]! > 0 ? [{ month, owed: owed[i]! }] : []));
}

/**
 * An installment plan over the oldest 2–4 unpaid charges, agreed after they fell due, with one
 * instalment a month from a week or more after the agreement. Kept plans (about 60%) pay every
 * instalment due by asOf on or shortly before its day; broken ones stop paying after some.
 * Pushes the instalments paid into `paid`.
 */
function installmentPlan(rng: Random, unpaid: readonly Unpaid[], asOf: EpochDay, paid: Paid[]): HoldSnapshot {
  const covered = unpaid.slice(0, rng.int(2, Math.min(4, unpaid.length)));
  const total = covered.reduce((sum, u) => sum + u.owed, 0);
  const lastDue = covered.at(-1)!.month.due;
  const agreed = Math.max(lastDue, Math.min(asOf - 3, Math.max(lastDue + rng.int(3, 20), asOf - rng.int(20, 150))));
  const first = agreed + rng.int(7, 20);
  // Due on the same day of each month (at most the 28th, so still after the agreement).
  const day = Math.min(28, first - dayOfMonth(monthIndexOfDay(first), 1) + 1);
  const count = covered.length + rng.int(0, 2);
  const each = Math.floor(total / count);
  const instalments = Array.from({ length: count }, (_, k) => ({
    due: dayOfMonth(monthIndexOfDay(first) + k, day),
    amount: k === count - 1 ? total - each * (count - 1) : each,
  }));
  const kept = rng.chance(0.6);
  const dueByNow = instalments.filter((x) => x.due <= asOf);
  const paying = kept ? dueByNow.length : rng.int(0, Math.max(0, dueByNow.length - 1));
  for (const x of dueByNow.slice(0, paying)) paid.push({ on: Math.max(agreed, x.due - rng.int(0, 5)), amount: x.amount });
  const id = `ip-${formatCivilDate(agreed)}`;
  return {
    type: "installmentPlan",
    id,
    agreedOn: formatCivilDate(agreed),
    charges: covered.map((u) => u.month.charge.id),
    instalments: instalments.map((x) => ({ dueOn: formatCivilDate(x.due), amountMinor: x.amount })),
  };
}

/**
 * The holds and opt-outs of one account, drawn from its own random stream (so the rest of the
 * account is what it would be without them). May push instalment payments into `paid`.
 */
export function holdsFor(rng: Random, behaviour: PayerBehaviour, months: readonly Month[], asOf: EpochDay, paid: Paid[]): { holds: HoldSnapshot[]; optOuts: Channel[] } {
  const holds: HoldSnapshot[] = [];
  const behind = behaviour === "late" || behaviour === "debtor";
  const odds = (share: number): boolean => behind && rng.chance(share / BEHIND_SHARE);
  const unpaid = unpaidMonths(months, paid);
  const firstDue = months[0]!.due;
  if (odds(HOLD_SHARES.dispute) && unpaid.length > 0) {
    const opened = Math.max(firstDue, asOf - rng.int(5, 300));
    const resolved = rng.chance(0.4) ? opened + rng.int(5, 60) : undefined;
    const dispute: HoldSnapshot = { type: "dispute", id: `dispute-${formatCivilDate(opened)}`, openedOn: formatCivilDate(opened), severity: rng.weighted(SEVERITIES) };
    if (resolved !== undefined && resolved <= asOf) dispute.resolvedOn = formatCivilDate(resolved);
    if (rng.chance(0.5)) dispute.note = rng.pick(DISPUTE_NOTES);
    holds.push(dispute);
  }
  if (odds(HOLD_SHARES.installmentPlan) && unpaid.length >= 2) holds.push(installmentPlan(rng, unpaid, asOf, paid));
  if (odds(HOLD_SHARES.promiseToPay) && unpaid.length > 0) {
    const made = asOf - rng.int(0, 13);
    const promised = Math.max(made, asOf + rng.int(-4, 5));
    const promise: HoldSnapshot = { type: "promiseToPay", id: `ptp-${formatCivilDate(made)}`, madeOn: formatCivilDate(made), promisedOn: formatCivilDate(promised) };
    if (rng.chance(0.7)) promise.amountMinor = unpaid.reduce((sum, u) => sum + u.owed, 0);
    holds.push(promise);
  }
  if (rng.chance(HOLD_SHARES.manual)) {
    const from = asOf - rng.int(0, 200);
    const manual: HoldSnapshot = { type: "manual", id: `manual-${formatCivilDate(from)}`, from: formatCivilDate(from), scope: "legal", reason: rng.pick(MANUAL_REASONS) };
    if (rng.chance(0.5)) manual.until = formatCivilDate(asOf + rng.int(30, 180));
    holds.push(manual);
  }
  const optOuts = rng.chance(HOLD_SHARES.optOut) ? [...rng.pick(OPT_OUTS)] : [];
  return { holds, optOuts };
}
