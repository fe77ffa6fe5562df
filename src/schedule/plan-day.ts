/**
 * Planning one account on one day: which stage instances are due, and the one action per
 * audience that carries them out. Hot path: integers, arrays and a few map look-ups.
 */
import type { Charge, Account } from "./account.js";
import type { ActionCharge, Because, CoveredStage, PlannedAction } from "./action.js";
import { addMonths, dayOfMonth, formatCivilDate, wholeMonthsBetween, type EpochDay } from "./civil-date.js";
import { describeTrigger, type CompiledPolicy, type CompiledStage } from "./compile.js";
import type { DoneLog } from "./log.js";

/** One stage instance that is due. */
export interface Candidate {
  cs: CompiledStage;
  /** The charge it is anchored on (for arrears stages, the oldest unpaid charge). */
  charge: Charge;
  key: string;
  due: EpochDay;
  regular: EpochDay;
  after?: { stage: string; on: EpochDay; gapDays: number };
  demand?: { stage: string; on: EpochDay; deadline: EpochDay };
  facts?: Record<string, unknown>;
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
  }
}

/** Earliest day a lawyer's letter may go: after a written demand made while `since` was overdue, once its deadline passed. */
function demandGate(log: DoneLog, since: EpochDay): Candidate["demand"] | undefined {
  let best: Candidate["demand"] | undefined;
  for (const d of log.demands) {
    if (d.on <= since) continue;
    const deadline = d.on + d.deadlineDays;
    if (!best || deadline < best.deadline) best = { stage: d.stage, on: d.on, deadline };
  }
  return best;
}

function baseFacts(account: Account, state: Omit<DayState, "candidates" | "log">, asOf: EpochDay): Record<string, unknown> {
  const anchor = account.charges[state.anchor];
  return {
    segment: account.snapshot.segment,
    tags: account.snapshot.owner?.tags ?? [],
    arrearsMonths: state.arrearsMonths,
    overdueMinor: state.overdueMinor,
    overdueCharges: state.overdueCharges,
    daysOverdue: anchor ? asOf - anchor.due : 0,
  };
}

/**
 * Works out the account's state on `asOf` and the stage instances due then. Returns undefined
 * when nothing is due. Payments count up to and including `asOf`, oldest charge first.
 */
export function findCandidates(compiled: CompiledPolicy, account: Account, asOf: EpochDay, getLog: () => DoneLog): DayState | undefined {
  const { charges, payments } = account;
  let paid = 0;
  for (const p of payments) {
    if (p.on > asOf) break;
    paid += p.amount;
  }
  // Allocation, oldest due first (Civil Code art. 560); an overpayment carries to the next charge.
  const unpaid = new Array<number>(charges.length);
  let anchor = -1;
  let overdueMinor = 0;
  let overdueCharges = 0;
  let anyUnpaid = false;
  for (let i = 0; i < charges.length; i++) {
    const c = charges[i]!;
    const applied = paid >= c.amount ? c.amount : paid;
    paid -= applied;
    const rest = c.amount - applied;
    unpaid[i] = rest;
    if (rest > 0) {
      anyUnpaid = true;
      if (c.due < asOf) {
        if (anchor < 0) anchor = i;
        overdueMinor += rest;
        overdueCharges++;
      }
    }
  }
  if (!anyUnpaid) return undefined; // the common case: paid up, and no need to read the log
  const log = getLog();
  const anchorCharge = anchor >= 0 ? charges[anchor]! : undefined;
  const arrearsMonths = anchorCharge ? wholeMonthsBetween(anchorCharge.due, asOf) : 0;
  const state = { unpaid, anchor, arrearsMonths, overdueMinor, overdueCharges };
  let facts: Record<string, unknown> | undefined;
  const candidates: Candidate[] = [];
  const stages = compiled.stages;

  // Charge ladders: each unpaid charge follows the timeline anchored on its month and due date.
  for (let i = 0; i < charges.length; i++) {
    if (unpaid[i]! <= 0) continue;
    const charge = charges[i]!;
    const done = log.byCharge.get(charge.id);
    for (const cs of compiled.chargeStages) {
      if (done?.[cs.index] !== undefined) continue;
      const regular = regularDate(compiled, cs, charge);
      let due = regular;
      let after: Candidate["after"];
      if (cs.pred >= 0) {
        const pred = stages[cs.pred]!;
        const predOn = done?.[pred.index];
        if (predOn === undefined) continue; // every warning, in order
        const gapDays = cs.gap ?? Math.max(1, regular - regularDate(compiled, pred, charge));
        if (predOn + gapDays > due) due = predOn + gapDays;
        after = { stage: pred.id, on: predOn, gapDays };
      }
      if (cs.dunning && due <= charge.due) due = charge.due + 1;
      let demand: Candidate["demand"];
      if (cs.legal) {
        demand = demandGate(log, charge.due);
        if (!demand) continue;
        if (demand.deadline + 1 > due) due = demand.deadline + 1;
      }
      if (due > asOf) continue;
      let stageFacts: Record<string, unknown> | undefined;
      if (cs.condition) {
        facts ??= baseFacts(account, state, asOf);
        stageFacts = {
          ...facts,
          chargeAmountMinor: charge.amount,
          chargeUnpaidMinor: unpaid[i],
          chargeDaysOverdue: asOf - charge.due,
          chargePeriod: charge.period,
          chargeMonthOfYear: (charge.month % 12) + 1,
          stageCount: log.byStage.get(cs.id)?.length ?? 0,
        };
        if (!cs.condition(stageFacts)) continue;
      }
      candidates.push({ cs, charge, key: `${cs.id}@${charge.id}`, due, regular, after, demand, facts: stageFacts });
    }
  }

  // The arrears ladder: months since the oldest unpaid charge fell due. A stage counts as done
  // for that charge when it was carried out while the charge was overdue.
  if (anchorCharge) {
    for (const cs of compiled.arrearsStages) {
      if (log.lastAfter(cs.id, anchorCharge.due) !== undefined) continue;
      const regular = regularDate(compiled, cs, anchorCharge);
      let due = regular;
      let after: Candidate["after"];
      if (cs.pred >= 0) {
        const pred = stages[cs.pred]!;
        const predOn = log.lastAfter(pred.id, anchorCharge.due);
        if (predOn === undefined) continue;
        const gapDays = cs.gap ?? Math.max(1, regular - regularDate(compiled, pred, anchorCharge));
        if (predOn + gapDays > due) due = predOn + gapDays;
        after = { stage: pred.id, on: predOn, gapDays };
      }
      if (due <= anchorCharge.due) due = anchorCharge.due + 1;
      let demand: Candidate["demand"];
      if (cs.legal) {
        demand = demandGate(log, anchorCharge.due);
        if (!demand) continue;
        if (demand.deadline + 1 > due) due = demand.deadline + 1;
      }
      if (due > asOf) continue;
      let stageFacts: Record<string, unknown> | undefined;
      if (cs.condition) {
        facts ??= baseFacts(account, state, asOf);
        stageFacts = { ...facts, stageCount: log.byStage.get(cs.id)?.length ?? 0 };
        if (!cs.condition(stageFacts)) continue;
      }
      candidates.push({ cs, charge: anchorCharge, key: `${cs.id}@${anchorCharge.id}`, due, regular, after, demand, facts: stageFacts });
    }
  }
  return candidates.length > 0 ? { ...state, candidates, log } : undefined;
}

/** Most severe first; then the later stage of the ladder; then the older charge. */
function moreSevere(a: Candidate, b: Candidate): boolean {
  if (a.cs.severity !== b.cs.severity) return a.cs.severity > b.cs.severity;
  if (a.cs.index !== b.cs.index) return a.cs.index > b.cs.index;
  return a.charge.due < b.charge.due;
}

function money(minor: number, digits: number, code: string): string {
  const scale = 10 ** digits;
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / scale);
  const frac = digits > 0 ? `.${String(abs % scale).padStart(digits, "0")}` : "";
  return `${sign}${whole}${frac} ${code}`;
}

/** One action per audience (owner, staff) carrying out every due instance; none where the log already holds one that day. */
export function buildActions(compiled: CompiledPolicy, account: Account, asOf: EpochDay, day: DayState): PlannedAction[] {
  const out: PlannedAction[] = [];
  const log = day.log;
  for (const staff of [false, true]) {
    if ((staff ? log.staffDays : log.ownerDays).has(asOf)) continue; // at most one action a day
    let primary: Candidate | undefined;
    const group: Candidate[] = [];
    for (const c of day.candidates) {
      if (c.cs.staff !== staff) continue;
      group.push(c);
      if (!primary || moreSevere(c, primary)) primary = c;
    }
    if (primary) out.push(toAction(compiled, account, asOf, day, primary, group));
  }
  return out;
}

function toAction(compiled: CompiledPolicy, account: Account, asOf: EpochDay, day: DayState, primary: Candidate, group: Candidate[]): PlannedAction {
  const { policy } = compiled;
  const cs = primary.cs;
  const stage = cs.stage;
  const concerned = new Set<string>(group.map((c) => c.charge.id));
  const charges: ActionCharge[] = [];
  let unpaidMinor = 0;
  account.charges.forEach((c, i) => {
    const rest = day.unpaid[i]!;
    const overdue = c.due < asOf;
    if (rest > 0 && (overdue || concerned.has(c.id))) {
      charges.push({ id: c.id, period: c.period, dueOn: formatCivilDate(c.due), amountMinor: c.amount, unpaidMinor: rest, overdue });
      unpaidMinor += rest;
    }
  });
  group.sort((a, b) => a.due - b.due || a.cs.index - b.cs.index || a.charge.due - b.charge.due);
  const covers: CoveredStage[] = group.map((c) => ({ key: c.key, stage: c.cs.id, kind: c.cs.kind, dueOn: formatCivilDate(c.due) }));
  const anchor = account.charges[day.anchor];
  const { code, minorDigits } = policy.currency;
  const triggerText = describeTrigger(cs.trigger);
  const because: Because = {
    summary:
      `${stage.title ?? cs.kind} (${cs.id}): ${triggerText}` +
      (cs.track === "charge" ? ` for charge ${primary.charge.id} (${primary.charge.period})` : ` (oldest unpaid charge ${primary.charge.id}, due ${formatCivilDate(primary.charge.due)})`) +
      `; ${money(day.overdueMinor, minorDigits, code)} overdue` +
      (stage.source ? `. Source: ${stage.source}` : ""),
    stage: { id: cs.id, kind: cs.kind, ...(stage.title ? { title: stage.title } : {}), ...(stage.source ? { source: stage.source } : {}) },
    trigger: cs.trigger,
    triggerText,
    regularOn: formatCivilDate(primary.regular),
    facts: {
      asOf: formatCivilDate(asOf),
      anchorChargeId: primary.charge.id,
      ...(anchor ? { oldestUnpaidDueOn: formatCivilDate(anchor.due) } : {}),
      arrearsMonths: day.arrearsMonths,
      overdueMinor: day.overdueMinor,
      overdueCharges: day.overdueCharges,
    },
  };
  if (primary.after) because.after = { stage: primary.after.stage, on: formatCivilDate(primary.after.on), gapDays: primary.after.gapDays };
  if (primary.demand)
    because.demand = { stage: primary.demand.stage, on: formatCivilDate(primary.demand.on), deadlineOn: formatCivilDate(primary.demand.deadline) };
  if (cs.conditionText !== undefined && primary.facts) {
    const facts: Record<string, unknown> = {};
    for (const name of cs.factNames) facts[name] = primary.facts[name];
    because.conditions = { text: cs.conditionText, facts };
  }
  return {
    id: `${account.id}:${primary.key}`,
    accountId: account.id,
    policy: { id: policy.id, version: policy.version },
    stage: cs.id,
    kind: cs.kind,
    ...(stage.title ? { title: stage.title } : {}),
    channels: [...stage.channels],
    audience: cs.staff ? "staff" : "owner",
    dueOn: formatCivilDate(primary.due),
    plannedOn: formatCivilDate(asOf),
    overdueMinor: day.overdueMinor,
    unpaidMinor,
    currency: code,
    ...(cs.deadlineDays !== undefined ? { deadlineOn: formatCivilDate(asOf + cs.deadlineDays) } : {}),
    requiresReview: stage.requiresReview === true,
    charges,
    covers,
    because,
  };
}
