/**
 * Holds in the model-based test: disputes open and close, promises to pay are made (and kept or
 * broken by the payments that follow), installment plans are agreed (and kept or broken). Each
 * hold counts from the next day planned, so it never changes a day already lived.
 *
 * The checks state what docs/ledger-format.md#holds promises, with their own arithmetic:
 * nothing dunning-class reaches the owner while a dispute is open or a promise is pending, and
 * no ladder step is taken for a charge a kept plan covers; staff follow up a dispute the day
 * after its resolution deadline; the owner is called on exactly the promised date when the
 * balance is still overdue; contact windows and frequency caps hold (./people.ts's arithmetic).
 */
import fc from "fast-check";
import { DEFAULT_HOLD_RULES, type HoldRules } from "../rules/holds.js";
import { STAGE_KIND_TABLE, isDunningClass } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { DisputeSeverity, HoldSnapshot } from "../schedule/ladder/hold-types.js";
import { paidMeansQuiet } from "./checks.js";
import { addDays, balancesOn, chargeOfKey, chargesInPayOrder } from "./ledger.js";
import { tomorrow, verify, type Model, type ModelCheck, type Real } from "./model-life.js";
import { capFinding, contactOf, windowFinding } from "./people.js";
import { formatMoney } from "./timeline.js";

type Dispute = Extract<HoldSnapshot, { type: "dispute" }>;
type PromiseToPay = Extract<HoldSnapshot, { type: "promiseToPay" }>;
type Plan = Extract<HoldSnapshot, { type: "installmentPlan" }>;

/** The scheduler's own steps for holds (not stages of the policy). */
const DISPUTE_FOLLOW_UP = "dispute_follow_up";
const PROMISE_FOLLOW_UP = "promise_follow_up";

const holdRules = (policy: Policy): Required<HoldRules> => ({ ...DEFAULT_HOLD_RULES, ...policy.holds }) as Required<HoldRules>;
const holdsOf = <T extends HoldSnapshot["type"]>(account: AccountSnapshot, type: T) =>
  (account.holds ?? []).filter((h): h is Extract<HoldSnapshot, { type: T }> => h.type === type);

function addHold(r: Real, hold: HoldSnapshot): void {
  (r.account.holds ??= []).push(hold);
}

/** Paid from `from` through `to`, both days included. */
function paidBetween(account: AccountSnapshot, from: string, to: string): number {
  return (account.payments ?? []).filter((p) => p.on >= from && p.on <= to).reduce((s, p) => s + p.amountMinor, 0);
}

/** The first day a plan is broken: an instalment not paid up (since the plan was agreed) by its date plus the grace days. */
function planBrokenOn(account: AccountSnapshot, plan: Plan, graceDays: number): string | undefined {
  let owed = 0;
  for (const i of [...plan.instalments].sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1))) {
    owed += i.amountMinor;
    const last = addDays(i.dueOn, graceDays);
    if (paidBetween(account, plan.agreedOn, last) < owed) return addDays(last, 1);
  }
  return undefined;
}

const openOn = (d: Dispute, day: string) => d.openedOn <= day && (d.resolvedOn === undefined || day < d.resolvedOn);
const pendingOn = (p: PromiseToPay, day: string) => p.madeOn <= day && day < p.promisedOn;
/**
 * The day a plan is over without breaking, unless it broke or was cancelled first: paid in full
 * (the payments since it was agreed reach its instalments, and its charges are paid oldest
 * first), or, its instalments all paid in time but a charge of it still unpaid (oldest first they
 * went to an older charge), the day after its last instalment's grace. It holds nothing from then.
 */
export function planFinishedOn(account: AccountSnapshot, plan: Plan, graceDays: number): string | undefined {
  const total = plan.instalments.reduce((s, i) => s + i.amountMinor, 0);
  const paidOff = [...new Set((account.payments ?? []).map((p) => p.on))]
    .sort()
    .find((d) => d >= plan.agreedOn && paidBetween(account, plan.agreedOn, d) >= total && plan.charges.every((c) => (balancesOn(account, d).unpaid.get(c) ?? 0) === 0));
  const broken = planBrokenOn(account, plan, graceDays);
  const lastGrace = plan.instalments.length === 0 ? undefined : addDays(plan.instalments.map((i) => i.dueOn).sort().at(-1)!, graceDays + 1);
  const lapsed = broken === undefined ? lastGrace : undefined;
  const day = paidOff !== undefined && (lapsed === undefined || paidOff <= lapsed) ? paidOff : lapsed;
  if (day === undefined || (plan.cancelledOn !== undefined && plan.cancelledOn <= day) || (broken !== undefined && broken <= day)) return undefined;
  return day;
}
function keptOn(account: AccountSnapshot, plan: Plan, day: string, graceDays: number): boolean {
  const broken = planBrokenOn(account, plan, graceDays);
  const finished = planFinishedOn(account, plan, graceDays);
  return plan.agreedOn <= day && (plan.cancelledOn === undefined || day < plan.cancelledOn) && (broken === undefined || day < broken) && (finished === undefined || day < finished);
}

/** What is still owed on the latest plan's next instalment on `on` (0 when there is no plan or it is paid up). */
export function nextInstalmentMinor(account: AccountSnapshot, on: string): number {
  const plan = holdsOf(account, "installmentPlan").at(-1);
  if (!plan || plan.agreedOn > on) return 0;
  const paid = paidBetween(account, plan.agreedOn, on);
  let owed = 0;
  for (const i of plan.instalments) if ((owed += i.amountMinor) > paid) return owed - paid;
  return 0;
}

/**
 * Nothing dunning-class reaches the owner while a dispute is open or a promise is pending (from
 * `madeOn` to the day before `promisedOn`); no step of the policy's ladders is taken for a charge
 * that a kept plan (agreed, not cancelled, not broken) covers.
 */
export const holdsQuiet: ModelCheck = ({ policy, account, actions }) => {
  const own = new Set(policy.stages.map((s) => s.id));
  const grace = holdRules(policy).installmentGraceDays;
  for (const a of actions) {
    if (a.audience !== "owner" || !isDunningClass(a.kind)) continue;
    const day = a.plannedOn;
    const what = `${a.kind} (${a.stage}) on ${day}`;
    const dispute = holdsOf(account, "dispute").find((d) => openOn(d, day));
    if (dispute) return { asOf: day, error: `${what} while dispute ${dispute.id} (${dispute.severity}, opened ${dispute.openedOn}) is open` };
    const promise = holdsOf(account, "promiseToPay").find((p) => pendingOn(p, day));
    if (promise) return { asOf: day, error: `${what} while promise ${promise.id} (made ${promise.madeOn}) to pay by ${promise.promisedOn} is pending` };
    for (const c of a.covers) {
      if (!own.has(c.stage) || !isDunningClass(c.kind)) continue;
      const plan = holdsOf(account, "installmentPlan").find((p) => p.charges.includes(chargeOfKey(c.key)) && keptOn(account, p, day, grace));
      if (plan) return { asOf: day, error: `${what} covers ${c.key}, but installment plan ${plan.id} (agreed ${plan.agreedOn}) covers charge ${chargeOfKey(c.key)} and is kept` };
    }
  }
  return undefined;
};

/**
 * Each dispute still open the day after its resolution deadline gets a staff follow-up that day;
 * each promise whose date has come with the balance still overdue gets a follow-up call on
 * exactly that date (S2 断其后路), and that day the call is the owner's action: escalation waits.
 */
export const holdFollowUps: ModelCheck = ({ policy, account, actions }, today) => {
  const days = holdRules(policy).disputeResolutionDays;
  const covered = (day: string, key: string, audience: "owner" | "staff") => actions.find((a) => a.plannedOn === day && a.audience === audience && a.covers.some((c) => c.key === key));
  for (const d of holdsOf(account, "dispute")) {
    const due = addDays(d.openedOn, days[d.severity] + 1);
    // Also when nothing is owed: the complaint still waits for an answer.
    if (due > today || !openOn(d, due) || covered(due, `${DISPUTE_FOLLOW_UP}@${d.id}`, "staff")) continue;
    return { asOf: due, error: `no staff follow-up on ${due} for dispute ${d.id} (${d.severity}, opened ${d.openedOn}), still open past its ${days[d.severity]}-day deadline` };
  }
  // After a terminal step nothing more reaches the owner until the account is reopened (the
  // `terminal` invariant checks that): the follow-up call is not owed then.
  const endOfRoad = actions.filter((a) => a.covers.some((c) => STAGE_KIND_TABLE[c.kind].terminal !== null)).map((a) => a.plannedOn);
  for (const p of holdsOf(account, "promiseToPay")) {
    if (endOfRoad.some((d) => d < p.promisedOn)) continue;
    const overdue = p.promisedOn <= today ? balancesOn(account, p.promisedOn).overdueMinor : 0;
    // An open dispute or a newer promise still pending holds the call too.
    if (overdue <= 0 || holdsOf(account, "dispute").some((d) => openOn(d, p.promisedOn)) || holdsOf(account, "promiseToPay").some((q) => pendingOn(q, p.promisedOn))) continue;
    const call = covered(p.promisedOn, `${PROMISE_FOLLOW_UP}@${p.id}`, "owner");
    if (call?.stage === PROMISE_FOLLOW_UP) continue;
    const instead = call ? `; the owner got ${call.kind} (${call.stage}) instead` : "";
    return { asOf: p.promisedOn, error: `no follow-up call on ${p.promisedOn}, the date of promise ${p.id} (made ${p.madeOn}), though ${formatMoney(overdue, policy.currency.minorDigits)} was still overdue${instead}` };
  }
  return undefined;
};

/** Every owner action planned keeps its channels' contact windows. */
export const contactWindows: ModelCheck = ({ policy, actions }) => windowFinding(policy, actions);
/** The contacts carried out keep every frequency cap over every rolling window. */
export const contactCaps: ModelCheck = ({ policy, actions }) => capFinding(policy, actions.map(contactOf));

/** The hold and contact checks (with `paidMeansQuiet` as the model runs it), and which actions each reads. */
export const HOLD_CHECKS: ReadonlyArray<[ModelCheck, "planned" | "carried"]> = [
  [paidMeansQuiet, "planned"],
  [holdsQuiet, "planned"],
  [holdFollowUps, "planned"],
  [contactWindows, "planned"],
  [contactCaps, "carried"],
];

class OpenDispute implements fc.Command<Model, Real> {
  constructor(readonly severity: DisputeSeverity) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    addHold(r, { type: "dispute", id: `d${r.account.holds?.length ?? 0}`, openedOn: tomorrow(m), severity: this.severity });
    m.openDisputes++;
    verify(r);
  }
  toString(): string {
    return `open a ${this.severity} dispute`;
  }
}

class CloseDispute implements fc.Command<Model, Real> {
  check(m: Readonly<Model>): boolean {
    return m.openDisputes > 0;
  }
  run(m: Model, r: Real): void {
    const open = holdsOf(r.account, "dispute").find((d) => d.resolvedOn === undefined)!;
    open.resolvedOn = tomorrow(m);
    m.openDisputes--;
    verify(r);
  }
  toString(): string {
    return "resolve the oldest open dispute";
  }
}

class MakePromise implements fc.Command<Model, Real> {
  constructor(readonly inDays: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const on = tomorrow(m);
    addHold(r, { type: "promiseToPay", id: `pr${r.account.holds?.length ?? 0}`, madeOn: on, promisedOn: addDays(on, this.inDays) });
    verify(r);
  }
  toString(): string {
    return `promise to pay in ${this.inDays} day(s)`;
  }
}

/** A plan for what is overdue (every overdue charge, or the oldest), paid in `parts` instalments. */
class MakePlan implements fc.Command<Model, Real> {
  private outcome = "";
  constructor(readonly scope: "all" | "oldest", readonly parts: number, readonly firstInDays: number, readonly everyDays: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const on = tomorrow(m);
    const b = balancesOn(r.account, on);
    const overdue = chargesInPayOrder(r.account).filter((c) => c.dueOn < on && (b.unpaid.get(c.id) ?? 0) > 0);
    const charges = this.scope === "all" ? overdue : overdue.slice(0, 1);
    const total = charges.reduce((s, c) => s + b.unpaid.get(c.id)!, 0);
    const parts = Math.min(this.parts, total);
    this.outcome = parts > 0 ? `: ${charges.map((c) => c.id).join("+")}` : ": nothing overdue, no plan";
    if (parts === 0) return;
    const each = Math.floor(total / parts);
    const instalments = Array.from({ length: parts }, (_, k) => ({
      dueOn: addDays(on, this.firstInDays + k * this.everyDays),
      amountMinor: k === parts - 1 ? total - each * (parts - 1) : each,
    }));
    addHold(r, { type: "installmentPlan", id: `ip${r.account.holds?.length ?? 0}`, agreedOn: on, charges: charges.map((c) => c.id), instalments });
    verify(r);
  }
  toString(): string {
    const charges = this.scope === "all" ? "every overdue charge" : "the oldest overdue charge";
    return `agree a plan for ${charges} in ${this.parts} instalment(s), the first in ${this.firstInDays} day(s), then every ${this.everyDays}${this.outcome}`;
  }
}

/** The hold commands, for `fc.commands`. */
export function holdCommands(): Array<fc.Arbitrary<fc.Command<Model, Real>>> {
  return [
    fc.constantFrom<DisputeSeverity>("major", "important", "minor").map((s) => new OpenDispute(s)),
    fc.constant(new CloseDispute()),
    fc.integer({ min: 0, max: 21 }).map((d) => new MakePromise(d)),
    fc
      .tuple(fc.constantFrom("all" as const, "oldest" as const), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 7, max: 45 }))
      .map(([scope, parts, first, every]) => new MakePlan(scope, parts, first, every)),
  ];
}
