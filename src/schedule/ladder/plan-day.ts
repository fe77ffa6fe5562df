/**
 * Planning one account on one day: which stage instances are due, and the one action per
 * audience that carries them out. Hot path: integers, arrays and a few map look-ups.
 */
import type { Account, Charge } from "../../ledger/account.js";
import { unpaidOldestFirst } from "../fees/allocation.js";
import { deadlineDayAfter } from "../time/calendar.js";
import { addMonths, dayOfMonth, wholeMonthsBetween, type EpochDay } from "../time/civil-date.js";
import type { CompiledPolicy, CompiledStage } from "./compile.js";
import { heldOn, holdView, type HoldView } from "./holds.js";
import { dueBeforeLimitation } from "../fees/limitation-review.js";
import { DoneLog } from "./log.js";
import { firstOwed, gapAfter } from "./gap.js";
import { afterTerminal } from "./terminal.js";
import { residualFeeCandidates } from "./residual-fee.js";

/** One stage instance that is due. */
export interface Candidate {
  cs: CompiledStage;
  /** The charge it is anchored on (for arrears stages, the oldest unpaid charge); none for hold stages. */
  charge: Charge | undefined;
  /** The charge or hold id the instance is anchored on. */
  anchor: string;
  key: string;
  due: EpochDay;
  regular: EpochDay;
  after?: { stage: string; on: EpochDay; gapDays: number };
  demand?: { stage: string; on: EpochDay; deadline: EpochDay };
  facts?: Record<string, unknown>;
  /** For hold stages: why. */
  note?: string;
}

/** The account's position on the planning day. */
export interface DayState {
  unpaid: number[];
  anchor: number;
  arrearsMonths: number;
  overdueMinor: number;
  overdueCharges: number;
  candidates: Candidate[];
  log: DoneLog;
  holds: HoldView;
}

/** The regular (trigger-only) date of a stage instance. */
function regularDate(compiled: CompiledPolicy, cs: CompiledStage, charge: Charge): EpochDay {
  const t = cs.trigger;
  switch (t.type) {
    case "billingMonthDay":
      return dayOfMonth(charge.month + t.monthOffset, t.day);
    case "dueDate":
      return charge.due + t.offsetDays;
    case "arrearsMonths":
      return addMonths(charge.due, t.months);
    case "afterStage":
      return regularDate(compiled, compiled.stages[cs.pred]!, charge) + t.days;
    case "beforeLimitation":
      // The unrestarted date: restarts (art. 195) only move it later; see limitationCandidates.
      return addMonths(charge.due, 12 * compiled.limitationYears) - t.days;
  }
}

/**
 * The day a stage instance carried out on `on` became owed: its regular day and, on the arrears
 * ladder, no sooner than the day its charge became the oldest unpaid one. Which warnings count
 * for the debt of today is decided by this day, not by the day of delivery, so that a delivery
 * that waited (a home visit for a working day, a frequency cap) never counts for a younger debt
 * that the same warning delivered on time would not have counted for. `charge`: the anchor's
 * position among the account's charges, as the log found it (-1: none of them).
 */
type OwedOn = (stage: string, on: EpochDay, charge: number) => EpochDay;

/** For each charge, the day the payments up to `asOf` first covered every older charge (-Infinity: none older; +Infinity: never). */
function coveredOnDays(account: Account, asOf: EpochDay): EpochDay[] {
  const { charges, payments } = account;
  const paidOffOn = new Array<EpochDay>(charges.length);
  unpaidOldestFirst(charges, payments, asOf, paidOffOn);
  // Paid oldest first: every older charge is paid off on the day the last of them is.
  const coveredOn = new Array<EpochDay>(charges.length);
  for (let k = 0; k < charges.length; k++) coveredOn[k] = k === 0 ? -Infinity : Math.max(coveredOn[k - 1]!, paidOffOn[k - 1]!);
  return coveredOn;
}

function owedOnFor(compiled: CompiledPolicy, account: Account, asOf: EpochDay): OwedOn {
  const { charges } = account;
  // Worked out on first use, once per planning call (plain helpers, not closures: this runs for
  // every account in arrears).
  let coveredOn: EpochDay[] | undefined;
  return (stage, on, i) => {
    const cs = compiled.byId.get(stage);
    if (!cs || (cs.ladder !== "charge" && cs.ladder !== "arrears")) return on;
    if (i < 0) return on; // anchored on no charge of the ledger (or on none): the delivery day is all there is
    const charge = charges[i]!;
    const regular = regularDate(compiled, cs, charge);
    if (cs.ladder === "charge") return Math.min(regular, on);
    // Not before the payments covered every older charge, nor before this one fell due.
    coveredOn ??= coveredOnDays(account, asOf);
    const oldestFrom = Math.max(charge.due + 1, coveredOn[i]!);
    return Math.min(Math.max(regular, oldestFrom), on);
  };
}

/** The last day `cs` was carried out for an instance owed after `since` (a debt overdue since then), if any. */
function doneSince(log: DoneLog, owedOn: OwedOn, cs: CompiledStage, since: EpochDay): EpochDay | undefined {
  let last: EpochDay | undefined;
  for (const d of log.instances.get(cs.id) ?? []) if (owedOn(cs.id, d.on, d.charge) > since) last = d.on;
  return last;
}

/**
 * The arrears stages this debt's ladder has passed (stage indices), and the last day each that
 * counts as done for it (owed while `since` was overdue) was carried out. Passed: each that
 * counts, and every stage before one of those. The ladder goes on from the furthest step that
 * counts and never goes back: a warning owed on an older charge while this one was overdue (a
 * six-month final notice, say) counts for this debt too, and the lighter steps before it are not
 * sent after it, nor after the steps that follow it. A passed stage has no done day, so a branch
 * that follows it (`afterStage`, off the way to the furthest step) never comes: it is passed with it.
 */
function episodeLadder(compiled: CompiledPolicy, log: DoneLog, owedOn: OwedOn, since: EpochDay): { passed: ReadonlySet<number>; doneOn: ReadonlyMap<number, EpochDay> } {
  const passed = new Set<number>();
  const doneOn = new Map<number, EpochDay>();
  for (const cs of compiled.arrearsStages) {
    const on = doneSince(log, owedOn, cs, since);
    if (on === undefined) continue;
    doneOn.set(cs.index, on);
    for (let k = cs.index; k >= 0 && !passed.has(k); k = compiled.stages[k]!.pred) passed.add(k);
  }
  return { passed, doneOn };
}

/** Earliest day a lawyer's letter may go: after a written demand owed while `since` was overdue, once its deadline passed. */
function demandGate(compiled: CompiledPolicy, log: DoneLog, owedOn: OwedOn, since: EpochDay): Candidate["demand"] | undefined {
  let best: Candidate["demand"] | undefined;
  for (const d of log.demands) {
    if (d.on <= since || owedOn(d.stage, d.on, d.charge) <= since) continue;
    // Civil Code art. 203: a deadline on a rest day ends on the next working day. Worked out
    // once per demand: a log serves every legal stage, and a forecast's every day.
    const deadline = (d.deadline ??= deadlineDayAfter(d.on, d.deadlineDays, compiled.calendar));
    if (!best || deadline < best.deadline) best = { stage: d.stage, on: d.on, deadline };
  }
  return best;
}

/**
 * When a stage instance anchored on `charge` falls due: its regular day, after the charge's due
 * date if it presses for payment, after the day its predecessor was actually carried out
 * (`predOn`) — by its regular gap when that one was late —, and after a written demand's deadline
 * if it is a legal step.
 * Undefined while it waits for its predecessor or for a demand, and when it falls due after
 * `asOf` (then nothing is allocated: most instances an account in arrears checks are not due).
 */
function timing(compiled: CompiledPolicy, log: DoneLog, owedOn: OwedOn, cs: CompiledStage, charge: Charge, regular: EpochDay, predOn: EpochDay | undefined, asOf: EpochDay): Pick<Candidate, "due" | "after" | "demand"> | undefined {
  let due = firstOwed(cs, charge, regular);
  let gapDays = 0;
  const pred = cs.pred >= 0 ? compiled.stages[cs.pred]! : undefined;
  if (pred) {
    if (predOn === undefined) return undefined; // every warning, in order
    // S2's days are calendar days: the regular gap only after a late predecessor (gap.ts).
    gapDays = gapAfter(cs, pred, charge, due, regular, regularDate(compiled, pred, charge), predOn);
    if (predOn + gapDays > due) due = predOn + gapDays;
  }
  if (due > asOf) return undefined;
  let demand: Candidate["demand"];
  if (cs.legal) {
    demand = demandGate(compiled, log, owedOn, charge.due);
    if (!demand) return undefined;
    if (demand.deadline + 1 > due) due = demand.deadline + 1;
    if (due > asOf) return undefined;
  }
  return { due, after: pred ? { stage: pred.id, on: predOn!, gapDays } : undefined, demand };
}

function baseFacts(account: Account, state: Omit<DayState, "candidates" | "log">, asOf: EpochDay): Record<string, unknown> {
  const anchor = account.charges[state.anchor];
  return {
    openDisputes: state.holds.openDisputes,
    brokenPromises: state.holds.brokenPromises,
    onInstallmentPlan: state.holds.onInstallmentPlan,
    collectionPaused: state.holds.blockDunning,
    segment: account.snapshot.segment,
    tags: account.snapshot.owner?.tags ?? [],
    arrearsMonths: state.arrearsMonths,
    overdueMinor: state.overdueMinor,
    overdueCharges: state.overdueCharges,
    daysOverdue: anchor ? asOf - anchor.due : 0,
  };
}

/** The facts of one charge, for a stage anchored on it. */
function chargeFacts(charge: Charge, unpaidMinor: number, asOf: EpochDay): Record<string, unknown> {
  return { chargeAmountMinor: charge.amount, chargeUnpaidMinor: unpaidMinor, chargeDaysOverdue: asOf - charge.due, chargePeriod: charge.period, chargeMonthOfYear: (charge.month % 12) + 1 };
}

/**
 * Works out the account's state on `asOf` and the stage instances due then. Returns undefined
 * when nothing is due. Payments count up to and including `asOf`, oldest charge first.
 *
 * `log`: what was carried out before; when not given, the account's recorded actions up to
 * `asOf`, read only if something is unpaid (most accounts are paid up and need no log at all).
 */
export function findCandidates(compiled: CompiledPolicy, account: Account, asOf: EpochDay, given?: DoneLog): DayState | undefined {
  const { charges, payments } = account;
  let paid = 0;
  for (const p of payments) {
    if (p.on > asOf) break;
    paid += p.amount;
  }
  // The common case: paid up (everything billed is covered), and no need to allocate or read the log.
  let billed = 0;
  for (const c of charges) billed += c.amount;
  // (A dispute's staff follow-up is due even when nothing is owed: the complaint still waits.)
  if (paid >= billed && account.holds.length === 0 && compiled.residual === undefined) return undefined;
  // Allocation, oldest due first (Civil Code art. 560); an overpayment carries to the next charge.
  const unpaid = unpaidOldestFirst(charges, payments, asOf);
  let overdueMinor = 0;
  let overdueCharges = 0;
  for (let i = 0; i < charges.length; i++)
    if (unpaid[i]! > 0 && charges[i]!.due < asOf) {
      overdueMinor += unpaid[i]!;
      overdueCharges++;
    }
  const log = given ?? DoneLog.fromRecorded(compiled, account, asOf + 1);
  // What the holds pause is one rule, asked of every stage instance below (holds.ts `heldOn`).
  const holds = holdView(compiled, account, asOf, log);
  const planCharges = holds.planCharges;
  // The arrears ladder counts from the oldest unpaid charge that no kept plan covers.
  let anchor = -1;
  for (let i = 0; i < charges.length; i++)
    if (unpaid[i]! > 0 && charges[i]!.due < asOf && !planCharges.has(charges[i]!.id)) {
      anchor = i;
      break;
    }
  const anchorCharge = anchor >= 0 ? charges[anchor]! : undefined;
  const arrearsMonths = anchorCharge ? wholeMonthsBetween(anchorCharge.due, asOf) : 0;
  const state = { unpaid, anchor, arrearsMonths, overdueMinor, overdueCharges, holds };
  let facts: Record<string, unknown> | undefined;
  const owedOn = owedOnFor(compiled, account, asOf);
  const candidates: Candidate[] = [];

  // Charge ladders: each unpaid charge follows the timeline anchored on its month and due date.
  for (let i = 0; i < charges.length; i++) {
    if (unpaid[i]! <= 0) continue;
    const charge = charges[i]!;
    if (planCharges.has(charge.id)) continue;
    for (const cs of compiled.chargeStages) {
      if (log.chargeDone(i, cs.index) !== undefined || heldOn(compiled, holds, cs, charge.id)) continue;
      const regular = regularDate(compiled, cs, charge);
      const when = timing(compiled, log, owedOn, cs, charge, regular, cs.pred >= 0 ? log.chargeDone(i, cs.pred) : undefined, asOf);
      if (!when) continue;
      let stageFacts: Record<string, unknown> | undefined;
      if (cs.condition) {
        facts ??= baseFacts(account, state, asOf);
        stageFacts = { ...facts, ...chargeFacts(charge, unpaid[i]!, asOf), stageCount: log.byStage.get(cs.id)?.length ?? 0 };
        if (!cs.condition(stageFacts)) continue;
      }
      candidates.push({ cs, charge, anchor: charge.id, key: `${cs.id}@${charge.id}`, regular, due: when.due, after: when.after, demand: when.demand, facts: stageFacts });
    }
  }

  // The arrears ladder: months since the oldest unpaid charge fell due. A stage counts as done
  // for that charge when it was owed while the charge was overdue (see owedOnFor).
  if (anchorCharge) {
    // Each stage's done day is read once, for the stage and as its successor's predecessor (an arrears stage's predecessor is one too).
    const { passed, doneOn } = episodeLadder(compiled, log, owedOn, anchorCharge.due);
    for (const cs of compiled.arrearsStages) {
      if (passed.has(cs.index) || heldOn(compiled, holds, cs, anchorCharge.id)) continue;
      const regular = regularDate(compiled, cs, anchorCharge);
      const when = timing(compiled, log, owedOn, cs, anchorCharge, regular, doneOn.get(cs.pred), asOf);
      if (!when) continue;
      let stageFacts: Record<string, unknown> | undefined;
      if (cs.condition) {
        facts ??= baseFacts(account, state, asOf);
        stageFacts = { ...facts, stageCount: log.byStage.get(cs.id)?.length ?? 0 };
        if (!cs.condition(stageFacts)) continue;
      }
      candidates.push({ cs, charge: anchorCharge, anchor: anchorCharge.id, key: `${cs.id}@${anchorCharge.id}`, regular, due: when.due, after: when.after, demand: when.demand, facts: stageFacts });
    }
  }

  // Stages before each limitation date. The staff's review is internal: neither the ladders above
  // nor any hold stops it (see limitation-review.ts, and `holdPauses`). A stage on this ladder that
  // reaches the owner is held, kept off a kept plan's charges and gated by a written demand like any other.
  for (const r of dueBeforeLimitation(compiled, account, asOf, unpaid, log)) {
    const charge = charges[r.charge]!;
    let due = r.due;
    let demand: Candidate["demand"];
    if (heldOn(compiled, holds, r.cs, charge.id)) continue;
    if (!r.cs.staff) {
      if (r.cs.legal) {
        demand = demandGate(compiled, log, owedOn, charge.due);
        if (!demand) continue;
        if (demand.deadline + 1 > due) due = demand.deadline + 1;
        if (due > asOf) continue;
      }
    }
    let stageFacts: Record<string, unknown> | undefined;
    if (r.cs.condition) {
      facts ??= baseFacts(account, state, asOf);
      stageFacts = { ...facts, ...chargeFacts(charge, unpaid[r.charge]!, asOf), stageCount: log.byStage.get(r.cs.id)?.length ?? 0 };
      if (!r.cs.condition(stageFacts)) continue;
    }
    candidates.push({ cs: r.cs, charge, anchor: charge.id, key: `${r.cs.id}@${charge.id}`, regular: r.regular, due, demand, note: r.note, facts: stageFacts });
  }

  for (const h of holds.candidates) {
    // The promised-date call is the promise's own step: only an open dispute, a newer promise
    // still pending or a manual hold of scope `all` holds it. A broken plan's notice waits for
    // every hold that presses.
    if (h.due > asOf || heldOn(compiled, holds, h.cs, h.anchor)) continue;
    candidates.push({ cs: h.cs, charge: undefined, anchor: h.anchor, key: `${h.cs.id}@${h.anchor}`, due: h.due, regular: h.due, note: h.note });
  }
  candidates.push(...residualFeeCandidates(compiled, account, asOf, unpaid, log, holds)); // a fee left once the principal is paid (residual-fee.ts)
  // The end of the road (terminal.ts): after a terminal stage nothing more reaches the owner until reopened.
  const due = afterTerminal(compiled, account, asOf, log, candidates);
  return due.length > 0 ? { unpaid, anchor, arrearsMonths, overdueMinor, overdueCharges, holds, candidates: due, log } : undefined;
}
