/**
 * Safeguards that hold whatever the owner's ladder did: no debt reaches its limitation date
 * without a staff review planned the policy's lead time before it (or a written demand that
 * restarted the period), and one plan never names the same action id twice.
 *
 * The limitation arithmetic here is the checker's own (Civil Code art. 188, 195, 201–203), from
 * the ledger and the run; only the policy's holiday calendar (art. 203) is the library's data.
 */
import fc from "fast-check";
import { STAFF_KINDS, STAGE_KIND_TABLE, type StageKind } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot, ChargeSnapshot, RecordedAction } from "../ledger/account.js";
import { keyOfActionId, type PlannedAction } from "../schedule/ladder/action.js";
import { createWorkingCalendar } from "../schedule/time/calendar.js";
import { addMonths, civilDate, formatCivilDate, type EpochDay } from "../schedule/time/civil-date.js";
import type { HoldSnapshot } from "../schedule/ladder/hold-types.js";
import { LAWSUIT_STAGE_KINDS, RESTARTING_STAGE_KINDS } from "../schedule/fees/limitation.js";
import { accountArb, ledgerArb, type Scenario } from "./arbitraries.js";
import { defineInvariant, forecastOf, type InvariantContext } from "./define.js";
import { balancesOn, chargeOfKey, recordOf, simulationWindow } from "./ledger.js";

/** The policy's lead time: the most days any staff stage is planned before a limitation date (0: none is). */
export function limitationLead(policy: Policy): number {
  let lead = 0;
  for (const s of policy.stages) if (s.trigger.type === "beforeLimitation" && STAFF_KINDS.has(s.kind)) lead = Math.max(lead, s.trigger.days);
  return lead;
}

/** The instance keys an action carried out (its covers, or the key in its id `account:stage@anchor`). */
function keysOf(accountId: string, a: RecordedAction): readonly string[] {
  if (a.covers) return a.covers;
  const key = keyOfActionId(accountId, a.id);
  return key === undefined ? [] : [key];
}

/**
 * The last day of `charge`'s limitation period as known on any day: three years (the policy's
 * `limitationYears`) from its due date, the start day not counted (art. 188, 201), on the
 * corresponding day or the month's last (art. 202), off rest days (art. 203); run anew from each
 * written demand naming it, partial payment on it, installment plan covering it or lawsuit or
 * arbitration naming it (from filing: the earliest the period restarted at the proceedings' end
 * can end), made after it fell due and before the period ended (art. 195).
 */
function limitationEnd(policy: Policy, account: AccountSnapshot, run: readonly RecordedAction[], charge: ChargeSnapshot): (asOf: EpochDay) => EpochDay {
  const calendar = createWorkingCalendar({ holidays: policy.calendar?.holidays ?? "none", closures: policy.calendar?.closures, extraWorkingDays: policy.calendar?.extraWorkingDays });
  const years = policy.limitationYears ?? 3;
  const endFrom = (day: EpochDay) => {
    let d = addMonths(day, 12 * years);
    while (!calendar.isStatutoryWorkingDay(d)) d++;
    return d;
  };
  const due = civilDate(charge.dueOn);
  const kinds = new Map<string, StageKind>(policy.stages.map((s) => [s.id, s.kind]));
  const events: EpochDay[] = [];
  for (const a of run)
    if ((RESTARTING_STAGE_KINDS.has(kinds.get(a.stage) ?? "") || LAWSUIT_STAGE_KINDS.has(kinds.get(a.stage) ?? "")) && keysOf(account.id, a).some((k) => chargeOfKey(k) === charge.id)) events.push(civilDate(a.on));
  for (const day of new Set((account.payments ?? []).map((p) => p.on))) {
    const before = balancesOn(account, formatCivilDate(civilDate(day) - 1)).unpaid.get(charge.id)!;
    if (before > balancesOn(account, day).unpaid.get(charge.id)!) events.push(civilDate(day));
  }
  for (const h of account.holds ?? []) if (h.type === "installmentPlan" && h.charges.includes(charge.id)) events.push(civilDate(h.agreedOn));
  const restarts = events.filter((d) => d > due).sort((a, b) => a - b);
  return (asOf) => {
    let end = endFrom(due);
    for (const d of restarts) {
      if (d > asOf || d > end) break;
      end = endFrom(d);
    }
    return end;
  };
}

/**
 * The day a staff review of `charge` is owed when planning starts on `from`: `lead` days before
 * its limitation date as known then, or at once when that day has passed; undefined when the
 * period ended before planning started, or the charge is paid by then.
 */
function reviewOwed(policy: Policy, account: AccountSnapshot, run: readonly RecordedAction[], charge: ChargeSnapshot, lead: number, from: string): { day: EpochDay; end: EpochDay } | undefined {
  const endOn = limitationEnd(policy, account, run, charge);
  const due = civilDate(charge.dueOn);
  let t = Math.max(civilDate(from), due + 1);
  for (;;) {
    const end = endOn(t);
    if (t > end) return undefined;
    const owed = Math.max(end - lead, due + 1);
    if (owed <= t) break;
    t = owed; // restarts only move the date later: the first day it is owed is on or after this one
  }
  if (balancesOn(account, formatCivilDate(t)).unpaid.get(charge.id)! <= 0) return undefined;
  return { day: t, end: endOn(t) };
}

type LimitationScenario = Scenario & { mode: "plan only" | "forecast" };

/** Holds somewhere around the planning start: manual (all, legal), disputes, promises, plans naming a charge. */
function holdsArb(account: AccountSnapshot, from: EpochDay): fc.Arbitrary<HoldSnapshot[]> {
  const spec = fc.record({
    type: fc.constantFrom("manual", "dispute", "promiseToPay", "installmentPlan"),
    start: fc.integer({ min: -400, max: 200 }),
    length: fc.option(fc.integer({ min: 1, max: 500 })),
    scope: fc.constantFrom<"all" | "legal">("all", "legal"),
    charge: fc.nat(),
  });
  return fc.array(spec, { maxLength: 2 }).map((specs) =>
    specs.map((h, i): HoldSnapshot => {
      const id = `h${i}`;
      const on = formatCivilDate(from + h.start);
      const end = formatCivilDate(from + h.start + (h.length ?? 30));
      if (h.type === "manual") return { type: "manual", id, from: on, ...(h.length !== null ? { until: end } : {}), scope: h.scope, reason: "special case" };
      if (h.type === "dispute") return { type: "dispute", id, openedOn: on, severity: "minor", ...(h.length !== null ? { resolvedOn: end } : {}) };
      if (h.type === "promiseToPay") return { type: "promiseToPay", id, madeOn: on, promisedOn: end };
      return { type: "installmentPlan", id, agreedOn: on, charges: [account.charges[h.charge % account.charges.length]!.id], instalments: [{ dueOn: end, amountMinor: 1000 }] };
    }),
  );
}

/**
 * Up to six months of charges; planning that starts anywhere from the first billing month to the
 * last limitation date (so, often, years late); in one run of two no action ever recorded, else
 * a random history; holds around the start. Three runs in four plan only on the days a review is
 * owed, recording nothing (a ladder that never moved); one in four forecasts up to 240 days from
 * around the first review day, carrying out every action (the ladder's demands restart periods).
 */
function limitationArb({ policy, options }: InvariantContext): fc.Arbitrary<LimitationScenario> {
  const years = policy.limitationYears ?? 3;
  const lead = limitationLead(policy);
  const stages = policy.stages.map((s) => s.id);
  const months = Math.min(6, options.account?.maxMonths ?? 6);
  return fc
    .record({
      account: accountArb({ ...options.account, maxMonths: months, stages }),
      recorded: fc.boolean(),
      forecast: fc.nat({ max: 3 }).map((n) => n === 0),
      start: fc.integer({ min: 0, max: 1000 }),
      before: fc.integer({ min: -150, max: 200 }),
      span: fc.integer({ min: 30, max: 240 }),
    })
    .chain((r) => {
      const dues = r.account.charges.map((c) => civilDate(c.dueOn));
      const first = Math.min(...dues);
      const lastEnd = addMonths(Math.max(...dues), 12 * years) + 10;
      const fromDay = r.forecast
        ? Math.max(first - 31, addMonths(first, 12 * years) - lead - r.before)
        : first - 31 + Math.floor(((lastEnd - first + 31) * r.start) / 1000);
      const from = formatCivilDate(fromDay);
      const actions = r.recorded ? (r.account.actions ?? []).filter((a) => a.on < from) : [];
      return holdsArb(r.account, fromDay).map((holds): LimitationScenario => ({
        account: { ...r.account, actions, holds },
        from,
        to: formatCivilDate(fromDay + (r.forecast ? r.span : 0)),
        mode: r.forecast ? "forecast" : "plan only",
      }));
    });
}

export const limitationReview = defineInvariant<LimitationScenario>({
  name: "limitation-review",
  description:
    "No limitation date passes without a staff review (or a delivered written demand) planned at least the policy's lead time before it, or at once when planning starts later, whatever the ladder did and whatever holds the account.",
  scope: "policy",
  arbitrary: limitationArb,
  verify(ctx, scenario) {
    const { policy, scheduler } = ctx;
    const { account, from, to, mode } = scenario;
    const lead = limitationLead(policy);
    const kinds = new Map<string, StageKind>(policy.stages.map((s) => [s.id, s.kind]));
    const planned = mode === "forecast" ? forecastOf(ctx, scenario) : [];
    const run = [...(account.actions ?? []), ...planned.map((a) => recordOf(a))];
    const reviews = (chargeId: string, keys: (a: RecordedAction) => readonly string[], actions: readonly RecordedAction[]) =>
      actions.some((a) => keys(a).some((k) => chargeOfKey(k) === chargeId && STAFF_KINDS.has(kinds.get(k.slice(0, k.indexOf("@"))) ?? "billingNotice")));
    // A write-off ends every stage, the staff's review too, for the charges overdue on its day
    // (issue 18, the end of the road): a person gave the debt up, there is no period left to save.
    const writeOffs = run.filter((a) => STAGE_KIND_TABLE[kinds.get(a.stage) ?? "billingNotice"].writesOff).map((a) => a.on);
    for (const charge of account.charges) {
      const owed = reviewOwed(policy, account, run, charge, lead, from);
      if (!owed || (mode === "forecast" && owed.day > civilDate(to))) continue;
      const day = formatCivilDate(owed.day);
      if (writeOffs.some((w) => charge.dueOn < w && w <= day)) continue;
      const byThen = run.filter((a) => a.on <= day);
      if (reviews(charge.id, (a) => keysOf(account.id, a), byThen)) continue;
      let today: PlannedAction[] = planned;
      if (mode === "plan only") {
        // The ladder never moved: only what is planned on the day itself can save the debt.
        today = scheduler.dueActions(structuredClone(account), day);
        const demand = today.some((a) => a.audience === "owner" && RESTARTING_STAGE_KINDS.has(a.kind) && a.covers.some((c) => chargeOfKey(c.key) === charge.id));
        if (demand || reviews(charge.id, (a) => a.covers ?? [], today.map((a) => recordOf(a)))) continue;
      }
      const what = lead > 0 ? `${lead} days before it` : "before it (the policy plans no staff stage before limitation)";
      const seen = today.length === 0 ? "nothing" : today.map((a) => `${a.kind} ${a.id}`).join(", ");
      return {
        asOf: day,
        error: `charge ${charge.id} (due ${charge.dueOn}) nears its limitation date ${formatCivilDate(owed.end)}: no staff review planned ${what} (by ${day}), nor a written demand restarting the period (planning from ${from}, ${mode}; planned: ${seen})`,
        actions: today,
      };
    }
    return undefined;
  },
});

/** The action ids that appear more than once among `actions`. */
export function duplicateIds(actions: readonly Pick<PlannedAction, "id">[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const a of actions) (seen.has(a.id) ? twice : seen).add(a.id);
  return [...twice];
}

type LedgerScenario = Scenario & { ledger: AccountSnapshot[]; days: string[] };

export const uniqueActionIds = defineInvariant<LedgerScenario>({
  name: "unique-action-ids",
  description: "One plan never names an action id twice: the actions planned for every account of a ledger on one day have distinct ids.",
  scope: "engine",
  arbitrary: ({ policy, options }) =>
    fc
      .tuple(ledgerArb({ ...options.account, maxAccounts: 5, stages: policy.stages.map((s) => s.id) }), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 2 }))
      .map(([ledger, points]): LedgerScenario => {
        const window = simulationWindow(policy, ledger[0]!);
        const [a, b] = [civilDate(window.from), civilDate(window.to)];
        const days = points.map((p) => formatCivilDate(a + Math.floor(((b - a) * p) / 1000)));
        return { account: ledger[0]!, from: window.from, to: window.to, ledger, days };
      }),
  verify({ scheduler }, { ledger, days }) {
    for (const day of days) {
      const actions = ledger.flatMap((account) => scheduler.dueActions(structuredClone(account), day));
      const twice = duplicateIds(actions);
      if (twice.length > 0) return { asOf: day, error: `planning ${ledger.length} account(s) (${ledger.map((a) => a.id).join(", ")}) on ${day} names ${twice.join(", ")} more than once`, actions };
    }
    return undefined;
  },
});
