/**
 * Fees across charges on a day, and the principal history they are computed from, split out of
 * late-fees.ts: a day's evaluation (waivers, then the per-account cap and its search for the day it
 * is reached) and the allocation of payments up to asOf, whose late-fee callback needs that
 * evaluation when fees are paid before principal. The per-charge arithmetic is in accrual.ts; the
 * public API (computeLateFees, lateFeeTimeline) stays in late-fees.ts.
 */
import type { Account, Payment } from "../../ledger/account.js";
import { allocate, type Allocation, type AllocationOrder, type LateFeeOwed } from "./allocation.js";
import { addMonths, type EpochDay } from "../time/civil-date.js";
import { chargeFee, chargeFeeAt, fmt, newFee, paidInFullOn, type Ctx, type Fee, type Frozen, type Steps, type Waiver } from "./accrual.js";

const NO_STEPS: Steps = [];

/**
 * One day's fees: every charge's at once (`evaluate`), or charge by charge as the allocation asks
 * (without an account cap a charge's fee depends on no other charge's amount: a waiver reads only
 * whether earlier charges' fees have arisen).
 */
interface Day {
  T: EpochDay;
  /** A payment on that day is being allocated (see `waiverFor`). */
  provisional: EpochDay | undefined;
  steps: readonly Steps[];
  detail: boolean;
  frozen: Frozen | undefined;
  /** `chargeFee` done, before the waiver. */
  fees: (Fee | undefined)[];
  /** 1 once the waiver is applied. */
  waived: Uint8Array;
}

function newDay(ctx: Ctx, steps: readonly Steps[], T: EpochDay, provisional: EpochDay | undefined, detail: boolean, frozen: Frozen | undefined): Day {
  const n = ctx.terms.length;
  return { T, provisional, steps, detail, frozen, fees: new Array<Fee | undefined>(n), waived: new Uint8Array(n) };
}

/** Charge `i`'s fee before waivers and the account cap. */
function baseFee(ctx: Ctx, day: Day, i: number): Fee {
  return (day.fees[i] ??= day.detail ? chargeFee(ctx, ctx.terms[i]!, day.steps[i]!, day.T, newFee(), true) : chargeFeeAt(ctx, i, day.steps[i]!, day.T, newFee(), day.frozen));
}

/** Charge `i`'s fee after its waiver, before the account cap. */
function waivedFee(ctx: Ctx, day: Day, i: number): Fee {
  const fee = baseFee(ctx, day, i);
  if (day.waived[i] === 0) {
    day.waived[i] = 1;
    if (fee.arisen && ctx.waivers.length > 0) fee.waiver = waiverFor(ctx, day, i);
    if (fee.waiver) fee.amount = 0;
  }
  return fee;
}

/** The first matching waiver of charge `i` on `day`. */
function waiverFor(ctx: Ctx, day: Day, i: number): Waiver | undefined {
  const t = ctx.terms[i]!;
  for (const w of ctx.waivers) {
    if (w.type === "accountTag" && ctx.tags.has(w.tag)) return { type: w.type, reason: `the account carries the tag "${w.tag}"` };
    if (w.type === "firstLateInMonths") {
      let sinces = ctx.since.get(w.months);
      if (sinces === undefined) ctx.since.set(w.months, (sinces = []));
      const since = (sinces[i] ??= addMonths(t.charge.due, -w.months));
      // any earlier charge due since then whose fee arose; the latest first, the likeliest
      let earlier = false;
      for (let j = i - 1; j >= 0 && !earlier; j--) earlier = ctx.terms[j]!.charge.due >= since && baseFee(ctx, day, j).arisen;
      if (!earlier) return { type: w.type, reason: `first late payment in ${w.months} months` };
    }
    if (w.type === "paidWithinDaysOfNotice") {
      const n = ctx.notices.find((x) => x.on > t.charge.due && (!w.stageKinds || (w.stageKinds as readonly string[]).includes(x.kind)) && (!x.chargeIds || x.chargeIds.includes(t.charge.id)));
      // While a payment is allocated on a day that would still earn the waiver, the fee is not
      // collected first: if that payment clears the principal, the fee is waived.
      const paidOn = paidInFullOn(t.charge, day.steps[i]!, day.T) ?? day.provisional;
      if (paidOn !== undefined && (!n || paidOn <= n.on + w.days))
        return { type: w.type, reason: n ? `principal paid in full by ${fmt(paidOn)}, within ${w.days} days of the ${n.kind} of ${fmt(n.on)}` : `principal paid in full by ${fmt(paidOn)}, before any notice` };
    }
  }
  return undefined;
}

/** Every charge's fee through `T`: per-charge caps, waivers, then the account cap. */
export function evaluate(ctx: Ctx, steps: readonly Steps[], T: EpochDay, provisional: EpochDay | undefined, detail: boolean, frozen?: Frozen): Fee[] {
  const terms = ctx.terms;
  const n = terms.length;
  const day = newDay(ctx, steps, T, provisional, detail, frozen);
  const out = new Array<Fee>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (out[i] = waivedFee(ctx, day, i)).amount;
  const cap = ctx.perAccount;
  if (cap === undefined || sum <= cap) return out;
  // The account cap stops accrual on the day it is reached: find the last day under it, then
  // share what is left of the cap on the next day oldest charge first. Each charge's fee so
  // never decreases as days pass (an oldest-first share of the totals could shrink a younger
  // charge's fee as older ones grow, and take back a fee it had already been paid).
  const scratch = newFee();
  const memo: Frozen = frozen ?? { from: [], fee: [] };
  const amounts = (day: EpochDay, into: number[]): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += into[i] = out[i]!.waiver ? 0 : chargeFeeAt(ctx, i, steps[i]!, day, scratch, memo).amount;
    return s;
  };
  const before = new Array<number>(n);
  const after = new Array<number>(n);
  let lo = Infinity;
  for (const t of terms) lo = Math.min(lo, t.lastFree);
  let hi = T;
  // The total is a non-decreasing function of the day (every fee is), nothing on `lo`, over the
  // cap on T: the day it is reached is unique, and a day's fees depend only on the payments up to
  // it. So the day found by the last evaluation is most often this one's too: check it first.
  let spent: number;
  const guess = ctx.capReached;
  if (guess !== undefined && guess - 1 >= lo && guess <= T && (spent = amounts(guess - 1, before)) <= cap && amounts(guess, after) > cap) (lo = guess - 1), (hi = guess);
  else {
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (amounts(mid, before) <= cap) lo = mid;
      else hi = mid;
    }
    spent = amounts(lo, before);
    amounts(hi, after);
  }
  ctx.capReached = hi;
  let room = cap - spent;
  for (let i = 0; i < n; i++) {
    const e = out[i]!;
    const take = Math.min(after[i]! - before[i]!, room);
    room -= take;
    const limitMinor = before[i]! + take;
    if (limitMinor < e.amount) (e.amount = limitMinor), (e.capKind = "perAccount"), (e.capLimit = limitMinor);
  }
  return out;
}

function paymentsThrough(payments: readonly Payment[], asOf: EpochDay): readonly Payment[] {
  for (const p of payments) if (p.on > asOf) return payments.filter((x) => x.on <= asOf);
  return payments;
}

/**
 * Allocates the payments up to asOf, paying fees as the order says, and returns the principal
 * history of each charge (in `ctx.terms` order). `record`: keep the allocation's lines.
 */
export function principalHistory(ctx: Ctx, account: Account, asOf: EpochDay, order: AllocationOrder | undefined, record: boolean): { allocation: Allocation; steps: Steps[] } {
  let days: Map<EpochDay, Day | Fee[]> | undefined;
  let index: Map<string, number> | undefined;
  let live: Steps[] | undefined;
  let frozen: Frozen | undefined;
  const scratch = newFee();
  // Fees through the day before a payment depend only on earlier payments (the allocation's
  // arrays of steps grow as it goes, and only by steps on the payment day or later), so one
  // evaluation per day, charge by charge when there is no account cap.
  const owed: LateFeeOwed = (chargeId, on, stepsOf) => {
    if (live === undefined) {
      days = new Map();
      index = new Map(ctx.terms.map((t, i) => [t.charge.id, i]));
      live = ctx.terms.map((t) => stepsOf(t.charge.id));
      // normalizeAccount makes ids distinct; for a hand-made account without, no memo (nothing to reason about)
      frozen = index.size === ctx.terms.length ? { from: [], fee: [] } : undefined;
    }
    const i = index!.get(chargeId)!;
    // Without waivers or an account cap, a charge's fee is its own: nothing to share across charges.
    if (ctx.perAccount === undefined && ctx.waivers.length === 0) return chargeFeeAt(ctx, i, live[i]!, on - 1, scratch, frozen).amount;
    let day = days!.get(on);
    if (ctx.perAccount !== undefined) {
      if (!day) days!.set(on, (day = evaluate(ctx, live, on - 1, on, false, frozen)));
      return (day as Fee[])[i]!.amount;
    }
    if (!day) days!.set(on, (day = newDay(ctx, live, on - 1, on, false, frozen)));
    return waivedFee(ctx, day as Day, i).amount;
  };
  // Without waivers or an account cap, a fee in the memo is the charge's fee on every later day.
  const finalFee =
    ctx.perAccount === undefined && ctx.waivers.length === 0
      ? (chargeId: string, on: EpochDay): number | undefined => {
          const i = index?.get(chargeId);
          const f = i === undefined ? undefined : frozen?.fee[i];
          return f !== undefined && on - 1 >= frozen!.from[i!]! ? f.amount : undefined;
        }
      : undefined;
  const { allocation, byId } = allocate(account.charges, paymentsThrough(account.payments, asOf), { order: order ?? "principalFirst", lateFees: owed }, record, finalFee);
  const steps = new Array<Steps>(ctx.terms.length);
  for (let i = 0; i < steps.length; i++) steps[i] = byId.get(ctx.terms[i]!.charge.id)?.principalPaid ?? NO_STEPS;
  return { allocation, steps };
}
