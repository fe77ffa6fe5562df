/**
 * Turning a day's due stage instances into actions: one per audience, the most severe carrying
 * the rest; its channels after protections, opt-outs and frequency caps; its contact window; its
 * deadline moved off rest days; its reasons.
 */
import { STAGE_KIND_TABLE, type Channel, type StageKind } from "../../rules/kinds.js";
import type { Offer, Protection } from "../../rules/protections.js";
import { exactSum, UnsafeAmountError, type Account } from "../../ledger/account.js";
import { actionId, type ActionCharge, type Because, type CoveredStage, type PlannedAction } from "./action.js";
import { deadlineDayAfter, unknownHolidaysNote } from "../time/calendar.js";
import { formatDay, type EpochDay } from "../time/civil-date.js";
import { remembered } from "../memo.js";
import { describeTrigger } from "../../rules/vocabulary-triggers.js";
import type { CompiledPolicy } from "./compile.js";
import { actionWindow, checkFrequency, frequencyLimits, type ContactWindow } from "../time/contact.js";
import { lateFeesUnderClause, type LateFeeAmounts } from "../fees/late-fees.js";
import type { Candidate, DayState } from "./plan-day.js";
import { formatMinor } from "../fees/money-text.js";

/** Most severe first; then the later stage of the ladder; then the older charge. */
function moreSevere(a: Candidate, b: Candidate): boolean {
  if (a.cs.severity !== b.cs.severity) return a.cs.severity > b.cs.severity;
  if (a.cs.index !== b.cs.index) return a.cs.index > b.cs.index;
  return a.due < b.due;
}

function protectionsOf(compiled: CompiledPolicy, account: Account): Protection[] {
  const tags = account.snapshot.owner?.tags;
  if (!tags || tags.length === 0 || compiled.protections.length === 0) return [];
  return compiled.protections.filter((p) => tags.includes(p.tag));
}

interface Delivery {
  channels: Channel[];
  notes: string[];
}

/**
 * The channels an action goes out on today, or undefined when it must wait (a working-day channel
 * on a rest day, or every channel capped).
 */
function deliver(compiled: CompiledPolicy, account: Account, primary: Candidate, asOf: EpochDay, day: DayState, protections: Protection[]): Delivery | undefined {
  const notes: string[] = [];
  let channels: Channel[] = [...primary.cs.stage.channels];
  for (const p of protections)
    for (const r of p.replaceChannels ?? [])
      if (channels.includes(r.from)) {
        channels = channels.map((c) => (c === r.from ? r.to : c));
        notes.push(`${r.from} replaced by ${r.to} (protection for ${p.tag})`);
      }
  channels = [...new Set(channels)];
  if (account.optOuts.size > 0) {
    const kept = channels.filter((c) => !account.optOuts.has(c));
    if (kept.length < channels.length) notes.push(`opted out of ${channels.filter((c) => account.optOuts.has(c)).join(", ")}`);
    // A written demand must still reach the owner: by registered mail when every channel is refused.
    if (kept.length === 0 && primary.cs.dunning) {
      kept.push("registeredMail");
      notes.push("sent by registered mail instead");
    }
    channels = kept;
    if (channels.length === 0) return undefined;
  }
  if (channels.some((c) => compiled.channelRules[c].workingDaysOnly) && !compiled.calendar.isWorkingDay(asOf)) return undefined;
  const consented = primary.cs.consented; // the owner agreed to this call
  const allowed = channels.filter((c) => {
    // Most channels have no cap: then the contact history is neither built nor read.
    if (!frequencyLimits(compiled.frequency, c, consented)) return true;
    const check = checkFrequency(day.log.contacts, compiled.frequency, asOf, c, { consented });
    if (!check.allowed) notes.push(check.reason ?? `${c} capped`);
    return check.allowed;
  });
  if (allowed.length === 0) return undefined;
  return { channels: allowed, notes };
}

/** `actionWindow` for these channels on `day`, remembered per policy (a copy: actions share no objects). */
function windowFor(compiled: CompiledPolicy, day: EpochDay, channels: readonly Channel[]): ContactWindow | undefined {
  const key = `${day} ${channels.join(",")}`;
  const w = remembered(compiled.windows, key, 4096, () => actionWindow(day, channels.map((c) => compiled.channelRules[c]), compiled.policy.timeZone) ?? null);
  return w === null ? undefined : { from: w.from, to: w.to };
}

const AUDIENCES = [false, true] as const; // owner, then staff

/** One action per audience (owner, staff) carrying out every due instance; none where the log already holds one that day. */
export function buildActions(compiled: CompiledPolicy, account: Account, asOf: EpochDay, day: DayState): PlannedAction[] {
  const out: PlannedAction[] = [];
  // Late fees are the account's, whoever the action is for: worked out once, for the first action.
  let fees: LateFees;
  for (const staff of AUDIENCES) {
    if (day.log.actedOn(asOf, staff)) continue; // at most one action a day
    let primary: Candidate | undefined;
    const group: Candidate[] = [];
    for (const c of day.candidates) {
      if (c.cs.staff !== staff) continue;
      group.push(c);
      if (!primary || moreSevere(c, primary)) primary = c;
    }
    if (!primary) continue;
    const protections = protectionsOf(compiled, account);
    const delivery = deliver(compiled, account, primary, asOf, day, protections);
    if (!delivery) continue;
    fees ??= lateFeesOf(compiled, account, asOf, day);
    out.push(toAction(compiled, account, asOf, day, primary, group, delivery, protections, fees));
  }
  return out;
}

function offersFor(primary: Candidate, day: DayState, protections: Protection[]): Offer[] {
  if (!primary.cs.dunning || primary.cs.staff || protections.length === 0) return [];
  const anchor = primary.charge;
  // The first dunning-class action of the episode: nothing dunning-class done since the charge fell due.
  const first = anchor !== undefined && ![...day.log.byStage.entries()].some(([id, days]) => {
    const cs = day.log.stageOf(id);
    return cs !== undefined && cs.dunning && !cs.staff && days[days.length - 1]! > anchor.due;
  });
  return first ? [...new Set(protections.flatMap((p) => p.offerWithFirstDunning ?? []))] : [];
}

/**
 * Per charge (in the account's charge order), what is still owed on `asOf` under the policy's
 * payment order: principal and late fee (accrued, less what payments paid of it). None without a
 * late-fee clause: then payments pay principal only, as the ladder counts them (`day.unpaid`).
 */
export type LateFees = LateFeeAmounts | undefined;

export function lateFeesOf(compiled: CompiledPolicy, account: Account, asOf: EpochDay, day: Pick<DayState, "overdueMinor" | "log">): LateFees {
  const clause = compiled.policy.lateFee;
  if (!clause) return undefined;
  const order = compiled.policy.paymentOrder ?? "costsLateFeePrincipal";
  // Nothing overdue as the ladder counts it: under principal first, no charge listed owes a fee;
  // under art. 561 a payment may have left principal to a fee, unless nothing is past due at all.
  // (A policy that chases a fee left once the principal is paid reads the fees always: residual-fee.ts.)
  if (day.overdueMinor === 0 && compiled.residual === undefined && (order === "principalFirst" || !account.charges.some((c) => c.due < asOf))) return undefined;
  // Notices matter only to a waiver for paying soon after one.
  const notices: Array<{ on: EpochDay; kind: StageKind }> = [];
  if (clause.waivers?.some((w) => w.type === "paidWithinDaysOfNotice"))
    for (const [id, days] of day.log.byStage) {
      const kind = day.log.stageOf(id)?.kind;
      if (kind) for (const on of days) notices.push({ on, kind });
    }
  const report = lateFeesUnderClause(clause, account, asOf, {
    isWorkingDay: compiled.calendar.isStatutoryWorkingDay, // a plain function (createWorkingCalendar): no closure per action
    notices,
    order,
    detail: false, // amounts only: no rows or date strings on the hot path
    balances: true,
  });
  return report; // its balances: one per charge of the account, in its order
}

function toAction(
  compiled: CompiledPolicy,
  account: Account,
  asOf: EpochDay,
  day: DayState,
  primary: Candidate,
  group: Candidate[],
  delivery: Delivery,
  protections: Protection[],
  fees: LateFees,
): PlannedAction {
  const { policy } = compiled;
  const cs = primary.cs;
  const stage = cs.stage;
  const concerned = new Set<string>(group.map((c) => c.anchor));
  // The amounts owed under the policy's payment order (for each charge listed, billed + accrued −
  // paid, to the minor unit); the ladder itself counts payments against principal (day.unpaid).
  const charges: ActionCharge[] = [];
  let unpaidMinor = 0;
  let lateFeeMinor = 0;
  let overdueMinor = 0;
  for (let i = 0; i < account.charges.length; i++) {
    const c = account.charges[i]!;
    const balance = fees?.balances![i];
    const rest = balance ? balance.principalUnpaidMinor : day.unpaid[i]!;
    const fee = balance ? Math.max(0, fees!.charges[i]!.amountMinor - balance.lateFeePaidMinor) : 0;
    const overdue = c.due < asOf;
    // A fee left on a charge whose principal is paid (principal first) is listed only by an action
    // about it (residual-fee.ts): a notice reads its periods and days overdue from the charges.
    if ((rest > 0 || (fee > 0 && concerned.has(c.id))) && (overdue || concerned.has(c.id))) {
      charges.push({ id: c.id, period: c.period, dueOn: formatDay(c.due), amountMinor: c.amount, unpaidMinor: rest, lateFeeMinor: fee, overdue });
      unpaidMinor += rest;
      lateFeeMinor += fee;
      if (overdue) overdueMinor += rest;
    }
  }
  group.sort((a, b) => a.due - b.due || a.cs.index - b.cs.index || (a.anchor < b.anchor ? -1 : a.anchor > b.anchor ? 1 : 0));
  const covers: CoveredStage[] = group.map((c) => ({ key: c.key, stage: c.cs.id, kind: c.cs.kind, dueOn: formatDay(c.due) }));
  const anchor = account.charges[day.anchor];
  const { code, minorDigits } = policy.currency;
  const triggerText = cs.ladder === "hold" ? (primary.note ?? "a hold") : describeTrigger(cs.trigger);
  const where =
    cs.ladder === "charge"
      ? ` for charge ${primary.anchor} (${primary.charge!.period})`
      : cs.ladder === "arrears"
        ? ` (oldest unpaid charge ${primary.anchor}, due ${formatDay(primary.charge!.due)})`
        : cs.ladder === "limitation" && primary.note
          ? ` (${primary.note})`
          : "";
  const because: Because = {
    summary: `${stage.title ?? cs.kind} (${cs.id}): ${triggerText}${where}; ${formatMinor(overdueMinor, minorDigits, false)} ${code} overdue${stage.source ? `. Source: ${stage.source}` : ""}`,
    stage: { id: cs.id, kind: cs.kind, ...(stage.title ? { title: stage.title } : {}), ...(stage.source ? { source: stage.source } : {}) },
    trigger: cs.trigger,
    triggerText,
    regularOn: formatDay(primary.regular),
    facts: {
      asOf: formatDay(asOf),
      anchorChargeId: primary.anchor,
      ...(anchor ? { oldestUnpaidDueOn: formatDay(anchor.due) } : {}),
      arrearsMonths: day.arrearsMonths,
      overdueMinor: day.overdueMinor,
      overdueCharges: day.overdueCharges,
    },
  };
  if (primary.after) because.after = { stage: primary.after.stage, on: formatDay(primary.after.on), gapDays: primary.after.gapDays };
  if (primary.demand) because.demand = { stage: primary.demand.stage, on: formatDay(primary.demand.on), deadlineOn: formatDay(primary.demand.deadline) };
  if (day.holds.notes.length > 0) because.holds = [...day.holds.notes];
  if (delivery.notes.length > 0) because.delivery = delivery.notes;
  if (cs.conditionText !== undefined && primary.facts) {
    const facts: Record<string, unknown> = {};
    for (const name of cs.factNames) facts[name] = primary.facts[name];
    because.conditions = { text: cs.conditionText, facts };
  }
  const deadline = cs.deadlineDays !== undefined ? deadlineDayAfter(asOf, cs.deadlineDays, compiled.calendar) : undefined;
  const calendarNote = unknownHolidaysNote(compiled.calendar, asOf, deadline);
  if (calendarNote !== undefined) because.calendar = calendarNote;
  const approval = protections.filter((p) => p.requireApproval?.includes(cs.kind)).map((p) => p.tag);
  if (approval.length > 0) (because.delivery ??= []).push(`needs approval (protection for ${approval.join(", ")})`);
  const window = windowFor(compiled, asOf, delivery.channels);
  const offers = offersFor(primary, day, protections);
  // Both parts are exact (the charges' and the late fees' sums are checked); what is owed must be too.
  const totalMinor = overdueMinor + lateFeeMinor;
  if (!exactSum(totalMinor)) throw new UnsafeAmountError("charges", "what is owed (overdue charges and late fees)");
  return {
    id: actionId(account.id, primary.key),
    accountId: account.id,
    policy: { id: policy.id, version: policy.version },
    stage: cs.id,
    kind: cs.kind,
    ...(stage.title ? { title: stage.title } : {}),
    channels: delivery.channels,
    audience: cs.staff ? "staff" : "owner",
    ...(window ? { window } : {}),
    dueOn: formatDay(primary.due),
    plannedOn: formatDay(asOf),
    overdueMinor,
    unpaidMinor,
    lateFeeMinor,
    totalMinor,
    currency: code,
    minorDigits,
    ...(deadline !== undefined ? { deadlineOn: formatDay(deadline) } : {}),
    requiresReview: stage.requiresReview === true || approval.length > 0 || STAGE_KIND_TABLE[cs.kind].needsReview,
    ...(offers.length > 0 ? { offers } : {}),
    charges,
    covers,
    because,
  };
}
