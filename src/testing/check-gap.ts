/**
 * The gap invariant: S2's days are calendar days (DOMAIN.md, "How ambiguous sentences are read",
 * decided 2026-12-06). On a charge's ladder a warning is due on its own day, first owed no sooner
 * than the day after the charge's due date (that is not lateness); only after a warning carried
 * out later than it was first owed is the next kept the regular gap (the days between the two
 * stages' own days) after the day it was actually carried out; a gap the policy states
 * (`minGapDays`, `afterStage` days) is always kept. Its own day arithmetic, not the scheduler's.
 */
import { LEGAL_KINDS, STAFF_KINDS, STAGE_KIND_TABLE, isDunningClass, type StageKind } from "../rules/kinds.js";
import type { Policy, Stage } from "../rules/schema.js";
import type { AccountSnapshot, ChargeSnapshot } from "../ledger/account.js";
import type { Channel } from "../rules/kinds.js";
import { resolveFrequencyRules } from "../rules/contact.js";
import { workingCalendarOf } from "../schedule/time/calendar.js";
import { frequencyLimits } from "../schedule/time/contact.js";
import { keyOfActionId } from "../schedule/ladder/action.js";
import { civilDate, dayOfMonth, formatCivilDate, parsePeriod } from "../schedule/time/civil-date.js";
import type { Check, Run } from "./checks.js";
import { forecastOf, cleanScenarios, defineInvariant } from "./define.js";
import { chargeOfKey, ladders, type LadderStage } from "./ledger.js";
import type { Scenario } from "./arbitraries.js";

type Day = number;

/** A stage's own (trigger-only) day for `charge`; undefined off the charge ladder. */
function ownDay(stages: ReadonlyMap<string, Stage>, stage: Stage, charge: ChargeSnapshot): Day | undefined {
  const t = stage.trigger;
  if (t.type === "billingMonthDay") {
    const month = parsePeriod(charge.period);
    return month === undefined ? undefined : dayOfMonth(month + t.monthOffset, t.day);
  }
  if (t.type === "dueDate") return civilDate(charge.dueOn) + t.offsetDays;
  if (t.type === "afterStage") {
    const before = stages.get(t.stage);
    const day = before && ownDay(stages, before, charge);
    return day === undefined ? undefined : day + t.days;
  }
  return undefined;
}

/** First owed: a warning that presses for payment not on or before its charge's due date. */
function firstOwedDay(kind: StageKind, own: Day, charge: ChargeSnapshot): Day {
  const due = civilDate(charge.dueOn);
  return isDunningClass(kind) && own <= due ? due + 1 : own;
}

/** The gap the policy states after the predecessor, if any. */
function statedGap(stage: Stage): number | undefined {
  return stage.trigger.type === "afterStage" ? Math.max(stage.trigger.days, stage.minGapDays ?? 0) : stage.minGapDays;
}

/**
 * Whether an owner-facing action may have to wait on a day: a rest day of the policy's calendar
 * (some channels go out on working days only), an opt-out, or a channel of an owner-facing stage
 * (after the owner's protections) that a cap or a quiet period limits.
 */
function waitsPossible(policy: Policy, account: AccountSnapshot): (day: Day) => boolean {
  const tags = account.owner?.tags ?? [];
  const replaced = new Map<Channel, Channel>();
  for (const p of policy.protections ?? []) if (tags.includes(p.tag)) for (const r of p.replaceChannels ?? []) replaced.set(r.from, r.to);
  const rules = resolveFrequencyRules(policy.contact);
  const capped = policy.stages.some((s) => !STAFF_KINDS.has(s.kind) && s.channels.some((c) => frequencyLimits(rules, c, false) || frequencyLimits(rules, replaced.get(c) ?? c, false)));
  if (capped || (account.optOuts ?? []).length > 0) return () => true;
  const calendar = workingCalendarOf(policy);
  return (day) => !calendar.isWorkingDay(day);
}

interface Owed {
  key: string;
  stage: LadderStage;
  /** The earliest day the rule allows, and why. */
  earliest: Day;
  why: string;
}

/**
 * Two sides. Never sooner: no charge-ladder instance before its first-owed day, nor before the gap
 * the rule keeps after its predecessor's actual day. Never later than the rule: an owner-facing
 * instance of a charge ladder (no conditions, no legal gate) the rule made due by a day goes out
 * that day, unless its delivery may have waited (see `waitsPossible`); the one action a day
 * carries every instance due. Meant for ledgers without holds (a hold also makes it wait). With
 * `from` (the first day planned) the days before it are not asked about.
 */
export const gapKept = (run: Run & { from?: string }): ReturnType<Check> => {
  const { policy, account, actions } = run;
  const lad = ladders(policy);
  const stages = new Map(policy.stages.map((s) => [s.id, s]));
  const charges = new Map(account.charges.map((c) => [c.id, c]));
  const carried = new Map<string, Day>();
  for (const r of account.actions ?? []) {
    const own = keyOfActionId(account.id, r.id);
    for (const key of r.covers ?? (own === undefined ? [] : [own])) if (!carried.has(key)) carried.set(key, civilDate(r.on));
  }
  for (const a of actions) for (const c of a.covers) if (!carried.has(c.key)) carried.set(c.key, civilDate(a.plannedOn));
  const owed = (key: string, stage: LadderStage): Owed | undefined => {
    const charge = charges.get(chargeOfKey(key));
    const s = stages.get(stage.id);
    if (!charge || !s || stage.ladder !== "charge") return undefined;
    const own = ownDay(stages, s, charge);
    if (own === undefined) return undefined;
    const first = firstOwedDay(stage.kind, own, charge);
    let earliest = first;
    let why = `first owed ${formatCivilDate(first)}`;
    if (stage.pred !== undefined) {
      const predKey = `${stage.pred}@${charge.id}`;
      const predOn = carried.get(predKey);
      const pred = stages.get(stage.pred);
      const predOwn = pred && ownDay(stages, pred, charge);
      if (predOn === undefined || pred === undefined || predOwn === undefined) return undefined; // the order check's business
      const late = predOn > firstOwedDay(pred.kind, predOwn, charge);
      const stated = statedGap(s);
      const gap = stated ?? (late ? Math.max(1, own - predOwn) : 1);
      if (predOn + gap > earliest) {
        earliest = predOn + gap;
        why = `${stage.pred} carried out ${formatCivilDate(predOn)}${late ? ` (late: first owed ${formatCivilDate(firstOwedDay(pred.kind, predOwn, charge))})` : ""}, ${stated !== undefined ? "stated" : late ? "regular" : "minimum"} gap ${gap} days`;
      }
    }
    return { key, stage, earliest, why };
  };
  // Never sooner.
  const plannedOwed: Array<Owed & { on: Day }> = [];
  for (const a of actions)
    for (const c of a.covers) {
      const stage = lad.get(c.stage);
      const o = stage && owed(c.key, stage);
      if (!o) continue;
      const on = civilDate(a.plannedOn);
      if (on < o.earliest) return { asOf: a.plannedOn, error: `${c.key} on ${a.plannedOn}, before ${formatCivilDate(o.earliest)} (${o.why}): a gap S2's calendar days keep was not kept` };
      plannedOwed.push({ ...o, on });
    }
  // Never later: on a day the instance was due by the rule, the one action a day carries every
  // instance due, unless delivery waited; it can only wait on a rest day, for a cap, or for an
  // opt-out (deliver.ts), so on any other day, and on a day something else reached the owner,
  // waiting is a gap the rule does not keep.
  const ownerDays = new Set(actions.filter((a) => a.audience === "owner").map((a) => civilDate(a.plannedOn)));
  const from = run.from === undefined ? undefined : civilDate(run.from);
  const mayWait = waitsPossible(policy, account);
  // After a terminal step (an agency, a court, a write-off) the owner's ladder stops until a payment
  // or a person reopens it (issue 18, the end of the road): from its day on, waiting is the rule.
  let endOfRoad = Number.POSITIVE_INFINITY;
  for (const [key, day] of carried) {
    const kind = stages.get(key.slice(0, key.indexOf("@")))?.kind;
    if (kind !== undefined && STAGE_KIND_TABLE[kind].terminal !== null) endOfRoad = Math.min(endOfRoad, day);
  }
  for (const o of plannedOwed) {
    const s = stages.get(o.stage.id)!;
    if (s.conditions || STAFF_KINDS.has(s.kind) || LEGAL_KINDS.has(s.kind)) continue;
    for (let d = o.earliest; d < o.on && d < endOfRoad; d++) {
      const reached = ownerDays.has(d);
      if (!reached && (from === undefined || d < from || mayWait(d))) continue;
      const what = reached ? "an owner-facing action went out" : "nothing could hold it (a working day, no cap, no opt-out)";
      return { asOf: formatCivilDate(d), error: `${o.key} was due by ${formatCivilDate(o.earliest)} (${o.why}) and on ${formatCivilDate(d)} ${what}, but it waited until ${formatCivilDate(o.on)}: a gap kept after a warning that was not late` };
    }
  }
  return undefined;
};

export const gap = defineInvariant<Scenario>({
  name: "gap",
  description:
    "S2's days are calendar days: on a charge's ladder no warning before its own day (or the day after its charge's due date), the regular gap kept only after a warning carried out late, a stated gap always; and none held back past the day the rule makes it due when another action reaches the owner.",
  scope: "engine",
  arbitrary: cleanScenarios,
  verify(ctx, scenario) {
    const actions = forecastOf(ctx, scenario);
    const finding = gapKept({ policy: ctx.policy, account: scenario.account, actions, from: scenario.from });
    return finding && { ...finding, actions };
  },
});
