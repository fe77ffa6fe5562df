/**
 * What the account's holds mean on one day: which stages wait, which charges a kept plan takes
 * out of the ladders, and which follow-ups are due (a staff task for an overdue dispute, the call
 * on a promised date, instalment reminders, the notice that a plan is broken).
 */
import type { Account } from "../../ledger/account.js";
import { STAGE_KIND_TABLE } from "../../rules/kinds.js";
import { unpaidOldestFirst } from "../fees/allocation.js";
import { formatCivilDate, type EpochDay } from "../time/civil-date.js";
import type { CompiledPolicy, CompiledStage } from "./compile.js";
import type { Hold } from "./hold-types.js";
import type { DoneLog } from "./log.js";

export interface HoldCandidate {
  cs: CompiledStage;
  anchor: string;
  due: EpochDay;
  note: string;
}

export interface HoldView {
  /** An open dispute, a pending promise or its pending follow-up: what presses waits (the fact `collectionPaused`). */
  blockDunning: boolean;
  /** Charges of installment plans kept on the day: out of the ladders. */
  planCharges: ReadonlySet<string>;
  candidates: HoldCandidate[];
  openDisputes: number;
  /** Promises whose date has not come yet. */
  pendingPromises: number;
  brokenPromises: number;
  onInstallmentPlan: boolean;
  /** The holds in force, for `because`. */
  notes: string[];
  /** The holds in force on the day: disputes open, promises pending, plans kept, manual holds within their dates. */
  inForce: Hold[];
  /** Promises whose date has come, unpaid, and whose call is not made yet: what presses waits for that call. */
  awaitingCall: Hold[];
}

const NO_CHARGES: ReadonlySet<string> = new Set();
export const NO_HOLDS: HoldView = {
  blockDunning: false,
  planCharges: NO_CHARGES,
  candidates: [],
  openDisputes: 0,
  pendingPromises: 0,
  brokenPromises: 0,
  onInstallmentPlan: false,
  notes: [],
  inForce: [],
  awaitingCall: [],
};

/** Overdue principal at the end of `day` (of the charges `only`, if given): payments up to `day`, oldest charge first. */
/** What is overdue at the end of `day` (charges due before it, oldest paid first), of the charges in `only` if given. */
export function overdueAt(account: Pick<Account, "charges" | "payments">, day: EpochDay, only?: ReadonlySet<string>): number {
  const unpaid = unpaidOldestFirst(account.charges, account.payments, day);
  let overdue = 0;
  account.charges.forEach((c, i) => {
    if (c.due < day && (only === undefined || only.has(c.id))) overdue += unpaid[i]!;
  });
  return overdue;
}

function paidBetween(account: Account, from: EpochDay, to: EpochDay): number {
  let sum = 0;
  for (const p of account.payments) if (p.on >= from && p.on <= to) sum += p.amount;
  return sum;
}

/** The first day the plan counts as broken (an instalment unpaid past its grace), if any. */
export function planBrokenOn(account: Account, plan: Extract<Hold, { type: "installmentPlan" }>, graceDays: number): EpochDay | undefined {
  let owed = 0;
  for (const inst of plan.instalments) {
    owed += inst.amount;
    const last = inst.due + graceDays;
    if (paidBetween(account, plan.agreed, last) < owed) return last + 1;
  }
  return undefined;
}

/**
 * The day the plan is finished, if it is: the first day on which the payments since it was agreed
 * reach its instalments' total and its charges' principal is paid (payments oldest charge first:
 * an owner who also pays the months after the plan's has not paid the plan off by that alone),
 * when it had not broken (an instalment unpaid past its grace) nor been cancelled before. A plan
 * paid in full is over: from that day it holds nothing, and what it held resumes from that day
 * (a residual late fee's steps count from it).
 */
export function planFinishedOn(account: Account, plan: Extract<Hold, { type: "installmentPlan" }>, graceDays: number): EpochDay | undefined {
  let total = 0;
  for (const inst of plan.instalments) total += inst.amount;
  const days = account.payments.filter((p) => p.on >= plan.agreed).sort((a, b) => a.on - b.on);
  let paid = 0;
  let finished: EpochDay | undefined;
  for (let i = 0; i < days.length && finished === undefined; i++) {
    paid += days[i]!.amount;
    const on = days[i]!.on;
    if (paid < total || days[i + 1]?.on === on) continue;
    const unpaid = unpaidOldestFirst(account.charges, account.payments, on);
    if (account.charges.every((c, k) => unpaid[k] === 0 || !plan.charges.has(c.id))) finished = on;
  }
  if (finished === undefined || (plan.cancelled !== undefined && plan.cancelled <= finished)) return undefined;
  const broken = planBrokenOn(account, plan, graceDays);
  return broken !== undefined && broken <= finished ? undefined : finished;
}

/**
 * The day a plan lapses, if it does: the day after its last instalment's grace, when its
 * instalments were all paid in time (it never broke) but a charge of the plan is still unpaid
 * (oldest first, the payments went to an older charge) and it was neither finished nor cancelled
 * by then. From that day it holds nothing and the ladder resumes: otherwise it would hold its
 * charges forever, neither broken nor finished, and nothing would be chased, in silence.
 */
export function planLapsedOn(account: Account, plan: Extract<Hold, { type: "installmentPlan" }>, graceDays: number): EpochDay | undefined {
  if (plan.instalments.length === 0 || planBrokenOn(account, plan, graceDays) !== undefined) return undefined;
  const on = Math.max(...plan.instalments.map((i) => i.due)) + graceDays + 1;
  const finished = planFinishedOn(account, plan, graceDays);
  if ((finished !== undefined && finished <= on) || (plan.cancelled !== undefined && plan.cancelled <= on)) return undefined;
  return on;
}

export function holdView(compiled: CompiledPolicy, account: Account, asOf: EpochDay, log: DoneLog): HoldView {
  if (account.holds.length === 0) return NO_HOLDS;
  const { holdStages, holdRules } = compiled;
  const view: HoldView = { ...NO_HOLDS, planCharges: new Set(), candidates: [], notes: [], inForce: [], awaitingCall: [] };
  const planCharges = view.planCharges as Set<string>;
  const done = (cs: CompiledStage, anchor: string) => log.doneFor(anchor, cs.index) !== undefined;

  for (const hold of account.holds) {
    switch (hold.type) {
      case "manual":
        if (hold.from <= asOf && (hold.until === undefined || asOf <= hold.until)) {
          view.notes.push(`manual hold ${hold.id} (${hold.scope}): ${hold.reason}`);
          view.inForce.push(hold);
        }
        break;
      case "dispute": {
        if (hold.opened > asOf || (hold.resolved !== undefined && hold.resolved <= asOf)) break;
        view.openDisputes++;
        view.blockDunning = true;
        view.notes.push(`dispute ${hold.id} (${hold.severity}) open`);
        view.inForce.push(hold);
        const deadline = hold.opened + holdRules.disputeResolutionDays[hold.severity];
        // Past its resolution deadline, unresolved: a staff task, never an escalation.
        if (deadline < asOf && !done(holdStages.disputeFollowUp, hold.id))
          view.candidates.push({ cs: holdStages.disputeFollowUp, anchor: hold.id, due: deadline + 1, note: `dispute ${hold.id} (${hold.severity}) unresolved after ${holdRules.disputeResolutionDays[hold.severity]} days` });
        break;
      }
      case "promiseToPay": {
        if (hold.made > asOf) break;
        const broken = hold.promised < asOf ? overdueAt(account, hold.promised) > 0 : false;
        if (broken) view.brokenPromises++;
        if (asOf < hold.promised) {
          view.blockDunning = true;
          view.pendingPromises++;
          view.notes.push(`promise ${hold.id} to pay by ${formatCivilDate(hold.promised)}`);
          view.inForce.push(hold);
        } else if (!done(holdStages.promiseFollowUp, hold.id) && overdueAt(account, Math.min(asOf, hold.promised)) > 0 && overdueAt(account, asOf) > 0) {
          // S2 断其后路: on exactly the agreed date, unpaid, call back; escalation waits for that call.
          view.blockDunning = true;
          view.awaitingCall.push(hold);
          view.candidates.push({ cs: holdStages.promiseFollowUp, anchor: hold.id, due: hold.promised, note: `promise ${hold.id}: the agreed date has come and the balance is unpaid` });
        }
        break;
      }
      case "installmentPlan": {
        if (hold.agreed > asOf || (hold.cancelled !== undefined && hold.cancelled <= asOf)) break;
        // Paid in full: the plan is over, not kept and not broken.
        const finishedOn = planFinishedOn(account, hold, holdRules.installmentGraceDays);
        if (finishedOn !== undefined && finishedOn <= asOf) break;
        // Every instalment paid, to an older charge: past the last one's grace, the plan is over too.
        const lapsedOn = planLapsedOn(account, hold, holdRules.installmentGraceDays);
        if (lapsedOn !== undefined && lapsedOn <= asOf) {
          const unpaid = unpaidOldestFirst(account.charges, account.payments, asOf);
          const owed = account.charges.filter((c, k) => hold.charges.has(c.id) && unpaid[k]! > 0).map((c) => c.id);
          if (owed.length > 0)
            view.notes.push(`installment plan ${hold.id} ended on ${formatCivilDate(lapsedOn)}: its instalments were paid, but to an older charge (oldest first); ${owed.join(", ")} ${owed.length === 1 ? "is" : "are"} still owed, and the ladder resumes`);
          break;
        }
        const brokenOn = planBrokenOn(account, hold, holdRules.installmentGraceDays);
        if (brokenOn === undefined || asOf < brokenOn) {
          view.onInstallmentPlan = true;
          for (const c of hold.charges) planCharges.add(c);
          view.notes.push(`installment plan ${hold.id} kept`);
          view.inForce.push(hold);
          let owed = 0;
          hold.instalments.forEach((inst, n) => {
            owed += inst.amount;
            const remindOn = inst.due - holdRules.installmentReminderDays;
            const anchor = `${hold.id}#${n + 1}`;
            if (remindOn <= asOf && asOf <= inst.due && paidBetween(account, hold.agreed, asOf) < owed && !done(holdStages.instalmentReminder, anchor))
              view.candidates.push({ cs: holdStages.instalmentReminder, anchor, due: remindOn, note: `instalment ${n + 1} of plan ${hold.id} due ${formatCivilDate(inst.due)}` });
          });
        } else if (!done(holdStages.planBroken, hold.id) && overdueAt(account, asOf, hold.charges) > 0) {
          // Told only while a charge of the plan is still overdue: a plan paid off late needs no notice.
          view.candidates.push({ cs: holdStages.planBroken, anchor: hold.id, due: brokenOn, note: `installment plan ${hold.id} broken: an instalment is unpaid past ${holdRules.installmentGraceDays} days of grace` });
        }
        break;
      }
    }
  }
  return view;
}

/** The days a hold holds: `from`, and `to` the last day (inclusive), undefined while it runs on. */
export interface HoldSpan {
  from: EpochDay;
  to: EpochDay | undefined;
}

/**
 * The days `hold` holds, as `holdView` applies it: a dispute from `openedOn` to the day before
 * `resolvedOn` (collection may press on again the day it is resolved); a promise from `madeOn`
 * to `promisedOn` itself (the owner has the whole day, Civil Code art. 203, and the follow-up call
 * comes first); a plan from `agreedOn` to the day before it was cancelled, broke, was finished
 * (`planFinishedOn`) or lapsed (its instalments paid to an older charge, `planLapsedOn`); a manual hold
 * from `from` to `until`. `recordedOn` plays no part: a hold holds from its own date.
 */
export function holdSpan(hold: Hold, account: Account, graceDays: number): HoldSpan {
  switch (hold.type) {
    case "dispute":
      return { from: hold.opened, to: hold.resolved === undefined ? undefined : hold.resolved - 1 };
    case "promiseToPay":
      return { from: hold.made, to: hold.promised };
    case "installmentPlan": {
      const broken = planBrokenOn(account, hold, graceDays);
      const ends = [hold.cancelled, broken, planFinishedOn(account, hold, graceDays), planLapsedOn(account, hold, graceDays)].filter((d): d is EpochDay => d !== undefined);
      return { from: hold.agreed, to: ends.length > 0 ? Math.min(...ends) - 1 : undefined };
    }
    case "manual":
      return { from: hold.from, to: hold.until };
  }
}

/**
 * Whether `hold`, while it holds, pauses the stage instance of `cs` anchored on `anchor` (a charge
 * id, or a hold id for a hold's own step): the one rule. Planning asks it through `heldOn` for
 * every stage instance of the day (the charge, arrears and limitation ladders, the holds' own
 * steps, the terminal steps); the review of actions carried out inside a hold (hold-review.ts)
 * asks it for each recorded action. A dispute or a promise pauses what presses for payment and
 * reaches the owner, and a terminal step (it ends the owner's ladder, so it waits for what holds
 * that ladder); a promise not its own follow-up call; a kept plan, every step for its charges, the
 * staff's too, a residual late fee's steps too (not the holds' own steps); a manual hold, every stage (`all`) or the legal steps (`legal`). No hold pauses the
 * staff's review before a limitation date (limitation-review.ts). tests/backdated-holds.test.ts
 * holds the planner and this rule to each other.
 */
export function holdPauses(hold: Hold, cs: CompiledStage, anchor: string): boolean {
  const terminal = STAGE_KIND_TABLE[cs.kind].terminal !== null;
  if (cs.ladder === "limitation" && cs.staff && !terminal) return false;
  const pressing = (cs.dunning && !cs.staff) || terminal;
  switch (hold.type) {
    case "dispute":
      return pressing;
    case "promiseToPay":
      return pressing && !(cs.ladder === "hold" && anchor === hold.id);
    case "installmentPlan":
      return (cs.ladder !== "hold" || cs.residual) && hold.charges.has(anchor);
    case "manual":
      return hold.scope === "all" || cs.legal;
  }
}

/**
 * Whether the holds of the day (`view`) pause the stage instance of `cs` anchored on `anchor`: a
 * hold in force that pauses it (`holdPauses`), or a promise whose date has come unpaid and whose
 * call is not made yet, which pauses what it paused while pending until that call (S2 断其后路:
 * escalation waits for the call). The calls themselves do not wait for one another: two promises'
 * dates past, both calls are due. The one question plan-day.ts and terminal.ts ask.
 */
export function heldOn(compiled: CompiledPolicy, view: HoldView, cs: CompiledStage, anchor: string): boolean {
  for (const hold of view.inForce) if (holdPauses(hold, cs, anchor)) return true;
  if (cs !== compiled.holdStages.promiseFollowUp) for (const hold of view.awaitingCall) if (holdPauses(hold, cs, anchor)) return true;
  return false;
}
