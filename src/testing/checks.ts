/**
 * The checks behind the invariants, as plain functions over one run: an account and the actions
 * carried out for it, each on its `plannedOn`. They return the first finding, or undefined. They
 * use their own ledger arithmetic (./ledger.ts), never the scheduler's.
 */
import { DEADLINE_KINDS, KIND_SEVERITY, LEGAL_KINDS, PUBLIC_CHANNELS, isDunningClass, type StageKind } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { addDays, balancesOn, chargeOfKey, ladders } from "./ledger.js";
import { TRIGGER_TABLE } from "../rules/vocabulary-triggers.js";
import { residualSteps } from "../rules/residual-fee.js";

/** Actions carried out for `account` (each on its `plannedOn`, in day order) under `policy`. */
export interface Run {
  policy: Policy;
  /** The ledger; its recorded `actions` are history carried out before the first planned action. */
  account: AccountSnapshot;
  actions: readonly PlannedAction[];
}

export interface Finding {
  error: string;
  /** The day it went wrong. */
  asOf?: string;
}

export type Check = (run: Run) => Finding | undefined;

const DEMAND_SEVERITY = KIND_SEVERITY.formalLetter;

interface Instance {
  key: string;
  stage: string;
  kind: StageKind;
  charge: string;
  on: string;
}

/** Every stage instance carried out: recorded history first, then the run's actions' covers. */
function instances(run: Run): Instance[] {
  const kinds = new Map(run.policy.stages.map((s) => [s.id, s.kind]));
  const out: Instance[] = [];
  for (const r of run.account.actions ?? []) {
    const prefix = `${run.account.id}:`;
    for (const key of r.covers ?? (r.id.startsWith(prefix) ? [r.id.slice(prefix.length)] : [])) {
      const stage = key.slice(0, key.indexOf("@"));
      const kind = kinds.get(stage);
      if (kind) out.push({ key, stage, kind, charge: chargeOfKey(key), on: r.on });
    }
  }
  // Hold stages (follow-ups, instalment reminders) are the scheduler's own, anchored on holds, not charges.
  for (const a of run.actions)
    for (const c of a.covers) if (kinds.has(c.stage)) out.push({ key: c.key, stage: c.stage, kind: c.kind, charge: chargeOfKey(c.key), on: a.plannedOn });
  return out.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

function dueOf(account: AccountSnapshot, chargeId: string): string | undefined {
  return account.charges.find((c) => c.id === chargeId)?.dueOn;
}

/**
 * No dunning-class action without an overdue balance; no dunning-class instance on or before its
 * charge's due date or once it is paid. A step of `residualLateFee` asks for the late fee left once
 * the principal is paid, so nothing is overdue by design: the `residual-fee` invariant checks it.
 */
export const paidMeansQuiet: Check = ({ policy, account, actions }) => {
  const own = new Set(policy.stages.map((s) => s.id));
  const steps = residualSteps(policy);
  const residual = new Set([...(steps?.reminders ?? []), ...(steps?.waiver ? [steps.waiver] : [])].map((s) => s.stage.id));
  for (const a of actions) {
    const day = a.plannedOn;
    const b = balancesOn(account, day);
    if (isDunningClass(a.kind) && b.overdueMinor <= 0 && !residual.has(a.stage))
      return { asOf: day, error: `${a.kind} (${a.stage}) on ${day}, but nothing was overdue that day` };
    for (const c of a.covers) {
      if (!isDunningClass(c.kind) || !own.has(c.stage)) continue; // a hold's own step is anchored on the hold
      const chargeId = chargeOfKey(c.key);
      const due = dueOf(account, chargeId);
      if (due === undefined) return { asOf: day, error: `${a.kind} on ${day} covers ${c.key}, but the ledger has no charge ${chargeId}` };
      if (day <= due) return { asOf: day, error: `${c.kind} (${c.key}) on ${day}, on or before charge ${chargeId}'s due date ${due}` };
      if ((b.unpaid.get(chargeId) ?? 0) <= 0) return { asOf: day, error: `${c.kind} (${c.key}) on ${day}, but charge ${chargeId} was paid by then` };
    }
  }
  return undefined;
};

/**
 * The policy's own ladder order: each step only after the warning before it in its ladder was
 * carried out on an earlier day (for the arrears ladder: after the anchor charge fell due); a
 * lawyer's letter or a ladder's legal review only after a written demand, made while the charge
 * was overdue, whose deadline has passed (the review before a limitation date waits for none).
 */
export const ladderOrder: Check = ({ policy, account, actions }) => {
  const lad = ladders(policy);
  const all = instances({ policy, account, actions });
  const deadlineDays = new Map(policy.stages.map((s) => [s.id, s.deadlineDays ?? 15]));
  const demands = [
    ...(account.actions ?? []).filter((r) => DEADLINE_KINDS.has(lad.get(r.stage)?.kind ?? "billingNotice")).map((r) => ({ on: r.on, deadlineOn: addDays(r.on, deadlineDays.get(r.stage)!) })),
    ...actions.filter((a) => DEADLINE_KINDS.has(a.kind) && a.deadlineOn !== undefined).map((a) => ({ on: a.plannedOn, deadlineOn: a.deadlineOn! })),
  ];
  const planned = new Set(actions.flatMap((a) => a.covers.map((c) => `${c.key}|${a.plannedOn}`)));
  const limitationReviews = new Set(policy.stages.filter((s) => TRIGGER_TABLE[s.trigger.type].ladder === "limitation").map((s) => s.id));
  for (const i of all) {
    if (!planned.has(`${i.key}|${i.on}`)) continue; // history is what it is; check what was planned
    const step = lad.get(i.stage);
    if (!step) return { asOf: i.on, error: `${i.key} on ${i.on}: the policy has no stage ${i.stage}` };
    const due = dueOf(account, i.charge);
    if (due === undefined) return { asOf: i.on, error: `${i.key} on ${i.on}: the ledger has no charge ${i.charge}` };
    if (step.pred !== undefined) {
      const pred = step.pred;
      const before = all.some((p) => p.stage === pred && p.on < i.on && (step.ladder === "charge" ? p.charge === i.charge : p.on > due));
      if (!before) return { asOf: i.on, error: `${i.stage} (${i.kind}) for charge ${i.charge} on ${i.on}, but the warning before it, ${pred}, was never carried out before: a warning was skipped` };
    }
    // The staff's review before a limitation date is internal and waits for no demand (DOMAIN.md).
    if (LEGAL_KINDS.has(i.kind) && !limitationReviews.has(i.stage) && !demands.some((d) => d.on > due && d.deadlineOn < i.on)) {
      const folded = actions.find((a) => a.plannedOn > due && a.plannedOn < i.on && a.deadlineOn === undefined && a.covers.some((c) => DEADLINE_KINDS.has(c.kind)));
      const note = folded ? ` (a demand was only folded into the ${folded.kind} of ${folded.plannedOn}, which states no deadline)` : "";
      return { asOf: i.on, error: `${i.kind} (${i.key}) on ${i.on} without a written demand made after ${due} whose deadline had passed${note}` };
    }
  }
  return undefined;
};

/**
 * Escalation that a fair policy keeps (the engine follows any valid policy, so this is the
 * policy's duty): within a ladder (a charge's warnings; an arrears episode, by its anchor charge)
 * severity never goes down, and a written demand or legal step only follows a lighter warning
 * (a phone call, dunning notice or visit) made after the charge fell due.
 */
export const escalation: Check = ({ policy, account, actions }) => {
  const lad = ladders(policy);
  const all = instances({ policy, account, actions });
  const worst = new Map<string, Instance>();
  let day = "";
  let pending: Array<[string, Instance]> = [];
  for (const i of all) {
    if (i.on !== day) {
      for (const [g, x] of pending) {
        const w = worst.get(g);
        if (!w || KIND_SEVERITY[x.kind] > KIND_SEVERITY[w.kind]) worst.set(g, x);
      }
      pending = [];
      day = i.on;
    }
    const step = lad.get(i.stage);
    if (!step || step.ladder === "limitation" || (step.ladder === "charge" && !isDunningClass(i.kind))) continue;
    const group = `${step.ladder}:${i.charge}`;
    const prev = worst.get(group);
    if (prev && KIND_SEVERITY[i.kind] < KIND_SEVERITY[prev.kind])
      return { asOf: i.on, error: `${i.stage} (${i.kind}) on ${i.on} after the harsher ${prev.stage} (${prev.kind}) on ${prev.on}, for ${step.ladder === "charge" ? "charge" : "the arrears episode of"} ${i.charge}: the ladder went backwards` };
    pending.push([group, i]);
    if (KIND_SEVERITY[i.kind] >= DEMAND_SEVERITY) {
      const due = dueOf(account, i.charge) ?? "";
      const warned = all.some((w) => isDunningClass(w.kind) && KIND_SEVERITY[w.kind] < DEMAND_SEVERITY && w.on > due && w.on < i.on);
      if (!warned) return { asOf: i.on, error: `${i.stage} (${i.kind}) on ${i.on} for charge ${i.charge} (due ${due}) without any lighter warning before it` };
    }
  }
  return undefined;
};

/** Legal steps never on a channel neighbours can read. */
export const privacy: Check = ({ actions }) => {
  for (const a of actions)
    if (LEGAL_KINDS.has(a.kind)) {
      const open = a.channels.filter((c) => PUBLIC_CHANNELS.has(c));
      if (open.length > 0) return { asOf: a.plannedOn, error: `${a.kind} (${a.stage}) on ${a.plannedOn} via ${open.join("+")}, where neighbours read it` };
    }
  return undefined;
};

/** At most one owner-facing and one staff action a day; no stage instance carried out twice. */
export const onePerDay: Check = ({ actions }) => {
  const days = new Set<string>();
  const keys = new Map<string, string>();
  for (const a of actions) {
    const day = `${a.audience}|${a.plannedOn}`;
    if (days.has(day)) return { asOf: a.plannedOn, error: `two ${a.audience}-facing actions on ${a.plannedOn} (the second: ${a.kind}, ${a.stage})` };
    days.add(day);
    for (const c of a.covers) {
      const first = keys.get(c.key);
      if (first !== undefined) return { asOf: a.plannedOn, error: `${c.key} carried out twice: on ${first} and on ${a.plannedOn}` };
      keys.set(c.key, a.plannedOn);
    }
  }
  return undefined;
};
