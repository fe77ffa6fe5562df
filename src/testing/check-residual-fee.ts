/**
 * What remains after the principal (issue 18, item 5): a late fee left on a charge whose principal
 * is paid is never left silent, and never chased out of turn. Generated accounts: one to three
 * monthly charges, each paid in full, on time or up to 75 days late, so that payments cover the
 * principal and leave the fee. The vendor's forecast carries out every action on its day. The
 * check reads the rule from the policy's `residualLateFee` and the ledger alone, independently of
 * the scheduler; the amounts left come from `computeLateFees` (the fee arithmetic has its own
 * reference tests):
 *
 * - the day a charge's principal is paid is when payments, oldest charge first, first cover every
 *   charge up to it; a step about it (`id@charge`) never comes before that day plus its days;
 * - never while principal of any charge is overdue, never when nothing remains of the charge, and
 *   no reminder after the waiver;
 * - not silent: the last step (the waiver, or the last reminder) comes within 14 days of the first
 *   day on or after its own with nothing overdue, when something still remains then.
 *
 * A policy without `residualLateFee` passes at once: it promises nothing about such a fee.
 */
import fc from "fast-check";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../ledger/account.js";
import { computeLateFees } from "../schedule/fees/money.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import type { Scenario } from "./arbitraries.js";
import { cleanScenarios as clean, defineInvariant, forecastOf as plan, type InvariantContext } from "./define.js";

/** The slack for a step that waits for a working day, a cap or a contact window. */
const SLACK_DAYS = 14;

interface Steps {
  /** Step id → its days after the principal was paid. */
  days: Map<string, number>;
  waiver: string | undefined;
  last: string;
}

function stepsOf(policy: Policy): Steps | undefined {
  const r = policy.residualLateFee;
  if (r === undefined || policy.lateFee === undefined) return undefined;
  const days = new Map<string, number>();
  for (const s of r.reminders ?? []) days.set(s.id, s.daysAfterPrincipalPaid);
  if (r.waive) days.set(r.waive.id, r.waive.daysAfterPrincipalPaid);
  const ids = [...days.keys()];
  if (ids.length === 0) return undefined;
  return { days, waiver: r.waive?.id, last: r.waive?.id ?? ids[ids.length - 1]! };
}

/** Monthly charges from 2026-01, each paid in full some days after it fell due (0: on its day). */
const residualArb = (ctx: InvariantContext): fc.Arbitrary<Scenario> => {
  const steps = stepsOf(ctx.policy);
  if (!steps) return clean(ctx);
  const horizon = Math.max(...steps.days.values()) + 2 * SLACK_DAYS;
  return fc
    .array(fc.record({ amount: fc.integer({ min: 1000, max: 90000 }), late: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 75 })) }), { minLength: 1, maxLength: 3 })
    .map((rows): Scenario => {
      const charges = rows.map((r, k) => {
        const month = String(k + 1).padStart(2, "0");
        return { id: `c${k + 1}`, period: `2026-${month}`, dueOn: `2026-${month}-01`, amountMinor: r.amount };
      });
      const payments = rows.map((r, k) => ({ id: `p${k + 1}`, on: formatCivilDate(civilDate(charges[k]!.dueOn) + r.late), amountMinor: r.amount }));
      const lastPaid = Math.max(...payments.map((p) => civilDate(p.on)));
      const account: AccountSnapshot = { id: "R-1", charges, payments };
      return { account, from: "2025-12-31", to: formatCivilDate(lastPaid + horizon) };
    });
};

/** For each charge, the day payments (oldest charge first) first cover it and every older one; undefined: never. */
function principalPaidOn(account: AccountSnapshot): Map<string, number | undefined> {
  const payments = [...(account.payments ?? [])].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const out = new Map<string, number | undefined>();
  let need = 0;
  for (const c of [...account.charges].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0))) {
    need += c.amountMinor;
    let paid = 0;
    const day = payments.find((p) => (paid += p.amountMinor) >= need)?.on;
    out.set(c.id, day === undefined ? undefined : civilDate(day));
  }
  return out;
}

/** Whether some principal is overdue on `day`: billed with a due date before it, less every payment up to it. */
function overdueOn(account: AccountSnapshot, day: number): boolean {
  const billed = account.charges.filter((c) => civilDate(c.dueOn) < day).reduce((n, c) => n + c.amountMinor, 0);
  const paid = (account.payments ?? []).filter((p) => civilDate(p.on) <= day).reduce((n, p) => n + p.amountMinor, 0);
  return billed > paid;
}

/** What remains of a charge on `day` under the policy's payment order: principal unpaid plus the fee less what was paid of it. */
function remainingOn(policy: Policy, account: AccountSnapshot, chargeId: string, day: number): number {
  const r = computeLateFees(policy, account, formatCivilDate(day));
  const fee = r.charges.find((c) => c.chargeId === chargeId)?.amountMinor ?? 0;
  const b = r.allocation.charges.find((c) => c.chargeId === chargeId);
  return b === undefined ? 0 : b.principalUnpaidMinor + Math.max(0, fee - b.lateFeePaidMinor);
}

export const residualFee = defineInvariant<Scenario>({
  name: "residual-fee",
  description:
    "A late fee left once a charge's principal is paid is handled as the policy's residualLateFee says: each step on or after its day counted from that payment, none while principal is overdue or once nothing remains, no reminder after the waiver, and the last step not left silent (passes at once for a policy without the field).",
  scope: "engine",
  arbitrary: residualArb,
  verify(ctx, scenario) {
    const steps = stepsOf(ctx.policy);
    if (!steps) return undefined;
    const { account } = scenario;
    const actions = plan(ctx, scenario);
    const paidOn = principalPaidOn(account);
    // Step id@charge → the day it was planned.
    const planned = new Map<string, number>();
    for (const a of actions)
      for (const c of a.covers) {
        if (!steps.days.has(c.stage)) continue;
        const day = civilDate(a.plannedOn);
        const charge = c.key.slice(c.key.indexOf("@") + 1);
        const p = paidOn.get(charge);
        const fail = (error: string) => ({ asOf: a.plannedOn, error, actions });
        if (p === undefined) return fail(`${c.key} on ${a.plannedOn}: charge ${charge}'s principal is not paid`);
        const owed = p + steps.days.get(c.stage)!;
        if (day < owed) return fail(`${c.key} on ${a.plannedOn}, before ${formatCivilDate(owed)} (${steps.days.get(c.stage)} days after the principal was paid on ${formatCivilDate(p)})`);
        if (overdueOn(account, day)) return fail(`${c.key} on ${a.plannedOn}, while principal is overdue`);
        if (remainingOn(ctx.policy, account, charge, day) <= 0) return fail(`${c.key} on ${a.plannedOn}, though nothing remains of charge ${charge}`);
        const waived = steps.waiver === undefined ? undefined : planned.get(`${steps.waiver}@${charge}`);
        if (waived !== undefined && c.stage !== steps.waiver) return fail(`${c.key} on ${a.plannedOn}, after the waiver on ${formatCivilDate(waived)}`);
        if (!planned.has(c.key)) planned.set(c.key, day);
      }
    const end = civilDate(scenario.to);
    for (const charge of account.charges) {
      const p = paidOn.get(charge.id);
      if (p === undefined || p <= civilDate(charge.dueOn)) continue;
      let due = p + steps.days.get(steps.last)!;
      while (due <= end && overdueOn(account, due)) due++;
      if (due + SLACK_DAYS > end || planned.has(`${steps.last}@${charge.id}`)) continue;
      const left = remainingOn(ctx.policy, account, charge.id, due);
      if (left > 0)
        return { asOf: formatCivilDate(due + SLACK_DAYS), error: `${steps.last}@${charge.id} never planned: ${left} minor units remain of charge ${charge.id} on ${formatCivilDate(due)}, ${steps.days.get(steps.last)} days after its principal was paid on ${formatCivilDate(p)}`, actions };
    }
    return undefined;
  },
});
