/**
 * Nothing planned inside a hold, even one recorded after the fact (issue 18, item 3). A generated
 * account lives without the hold until the day it is recorded, every planned action carried out
 * and recorded; then the hold appears in the ledger with an earlier effective date. From that day
 * nothing it pauses is planned inside its days, and the actions already carried out inside them
 * that it pauses are exactly the ones listed for a person's review (`actionsInsideHolds`). What a
 * hold pauses is worked out here from the kinds (kinds.ts), not by the scheduler's rule.
 */
import fc from "fast-check";
import { LEGAL_KINDS, TERMINAL_KINDS, isDunningClass } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import type { HoldSnapshot } from "../schedule/ladder/hold-types.js";
import { TRIGGER_TABLE } from "../rules/vocabulary-triggers.js";
import { DEFAULT_HOLD_RULES } from "../rules/holds.js";
import type { Scenario } from "./arbitraries.js";
import { cleanScenarios as clean, defineInvariant, forecastOf, forecastOf as plan, type InvariantContext } from "./define.js";
import { chargeOfKey, recordOf } from "./ledger.js";
import { planFinishedOn } from "./model-holds.js";

type BackdatedScenario = Scenario & { hold: HoldSnapshot; heldFrom: string; /** The last day held, inclusive (9999-12-31: open). */ heldTo: string; recordedOn: string };

/**
 * A dispute (open or resolved), a promise to pay, a manual hold of legal steps or of every stage,
 * or an installment plan for some of the account's charges (its one instalment falls due long
 * after the window, so it never breaks in it; cancelled half the time; finished, and so over, on
 * the day the payments since it was agreed reach the instalment), recorded 1–30 days after it took
 * effect.
 */
const backdatedArb = (ctx: InvariantContext): fc.Arbitrary<BackdatedScenario> =>
  clean(ctx).chain((scenario) => {
    const from = civilDate(scenario.from);
    const span = Math.max(2, civilDate(scenario.to) - from);
    const charges = scenario.account.charges;
    return fc
      .record({
        start: fc.integer({ min: 0, max: span - 1 }),
        length: fc.integer({ min: 1, max: 90 }),
        late: fc.integer({ min: 1, max: 30 }),
        type: fc.constantFrom(
          "dispute" as const,
          "resolvedDispute" as const,
          "promiseToPay" as const,
          "manualLegal" as const,
          "manualAll" as const,
          ...(charges.length > 0 ? (["keptPlan", "cancelledPlan"] as const) : []),
        ),
        // Which charges a plan covers: a non-empty choice of the account's.
        covered: charges.length > 0 ? fc.subarray(charges.map((c) => c.id), { minLength: 1 }) : fc.constant([] as string[]),
        // Half the time the hold ends (its resolution, promised, last or cancellation day) on a day
        // an action was planned, and is recorded after that: the day either side of which a rule
        // off by one would go wrong.
        align: fc.boolean(),
        pick: fc.nat(),
      })
      .map(({ start: anyStart, length: anyLength, late: anyLate, type, covered, align, pick }): BackdatedScenario => {
        let [start, length, late] = [anyStart, anyLength, anyLate];
        const ends = align ? forecastOf(ctx, scenario).map((x) => civilDate(x.plannedOn) - from).filter((d) => d >= 1) : [];
        if (ends.length > 0) {
          const end = ends[pick % ends.length]!;
          length = Math.min(anyLength, end);
          start = end - length;
          late = length + anyLate;
        }
        const day = (n: number) => formatCivilDate(from + n);
        const a = day(start);
        const recordedOn = day(start + late);
        const to = recordedOn > scenario.to ? recordedOn : scenario.to;
        const owed = charges.filter((c) => covered.includes(c.id)).reduce((n, c) => n + c.amountMinor, 0);
        const hold: HoldSnapshot =
          type === "dispute"
            ? { type: "dispute", id: "h", openedOn: a, severity: "major", recordedOn }
            : type === "resolvedDispute"
              ? { type: "dispute", id: "h", openedOn: a, severity: "minor", resolvedOn: day(start + length), recordedOn }
              : type === "promiseToPay"
                ? { type: "promiseToPay", id: "h", madeOn: a, promisedOn: day(start + length), recordedOn }
                : type === "manualLegal" || type === "manualAll"
                  ? { type: "manual", id: "h", from: a, until: day(start + length), scope: type === "manualAll" ? "all" : "legal", reason: "backdated exemption", recordedOn }
                  : {
                      type: "installmentPlan",
                      id: "h",
                      agreedOn: a,
                      charges: covered,
                      // Due a year after the window: no instalment can break the plan inside it.
                      instalments: [{ dueOn: formatCivilDate(civilDate(to) + 365), amountMinor: Math.max(1, owed) }],
                      ...(type === "cancelledPlan" ? { cancelledOn: day(start + length) } : {}),
                      recordedOn,
                    };
        // A resolved dispute holds until the day before it was resolved; a promise, through its
        // day; a manual hold, through its last day; a plan, until the day before it was cancelled
        // or was over (the model's rule, model-holds.ts: paid in full, or its instalments paid to
        // an older charge past the last one's grace).
        let heldTo = type === "dispute" || type === "keptPlan" ? "9999-12-31" : type === "resolvedDispute" || type === "cancelledPlan" ? day(start + length - 1) : day(start + length);
        if (hold.type === "installmentPlan") {
          const over = planFinishedOn(scenario.account, hold, { ...DEFAULT_HOLD_RULES, ...ctx.policy.holds }.installmentGraceDays);
          if (over && formatCivilDate(civilDate(over) - 1) < heldTo) heldTo = formatCivilDate(civilDate(over) - 1);
        }
        return { ...scenario, to, hold, heldFrom: a, heldTo, recordedOn };
      });
  });

/**
 * Whether the hold pauses something an action carried out, by the kinds of the instances it
 * covers and its audience alone: a dispute or a promise, what presses on the owner (a promise not
 * its own call), and a terminal step (it ends the owner's ladder); a manual hold of legal scope,
 * legal steps; of scope `all`, every step; a kept plan, every step for its charges, the staff's
 * too. No hold pauses the staff's review before a limitation date.
 */
function pausedBy(policy: Policy, hold: HoldSnapshot, a: PlannedAction): boolean {
  const reviewBeforeLimitation = (c: PlannedAction["covers"][number]) => {
    const st = policy.stages.find((x) => x.id === c.stage);
    return st !== undefined && TRIGGER_TABLE[st.trigger.type].ladder === "limitation" && a.audience === "staff" && !TERMINAL_KINDS.has(c.kind);
  };
  if (hold.type === "manual") return a.covers.some((c) => (hold.scope === "all" || LEGAL_KINDS.has(c.kind)) && !reviewBeforeLimitation(c));
  if (hold.type === "installmentPlan") return a.covers.some((c) => hold.charges.includes(chargeOfKey(c.key)) && !reviewBeforeLimitation(c));
  // A terminal step (an agency, a court, a write-off) is the staff's, but it ends the owner's ladder: it waits too.
  if (a.covers.some((c) => TERMINAL_KINDS.has(c.kind))) return true;
  return a.audience === "owner" && a.covers.some((c) => isDunningClass(c.kind) && !(hold.type === "promiseToPay" && c.stage === "promise_follow_up"));
}

export const backdatedHolds = defineInvariant<BackdatedScenario>({
  name: "backdated-holds",
  description:
    "A hold recorded after the day it took effect (a dispute, a promise to pay, a manual hold, an installment plan): from the day it is recorded nothing it pauses is planned inside its days, and exactly the actions already carried out inside them that it pauses are listed for review.",
  scope: "engine",
  arbitrary: backdatedArb,
  verify(ctx, s) {
    // Before the hold is recorded the ledger does not know it: what was planned was carried out.
    const before = plan(ctx, { account: s.account, from: s.from, to: formatCivilDate(civilDate(s.recordedOn) - 1) });
    const history: AccountSnapshot = { ...s.account, actions: [...(s.account.actions ?? []), ...before.map((a) => recordOf(a))], holds: [s.hold] };
    const inside = (day: string) => day >= s.heldFrom && day <= s.heldTo;

    const expected = before.filter((a) => inside(a.plannedOn) && pausedBy(ctx.policy, s.hold, a)).map((a) => a.id);
    const listed = ctx.scheduler.actionsInsideHolds(structuredClone(history), s.recordedOn).map((r) => r.actionId);
    const missing = expected.filter((id) => !listed.includes(id));
    if (missing.length > 0)
      return { asOf: s.recordedOn, error: `${missing.join(", ")} carried out inside ${s.hold.type} ${s.hold.id} (${s.heldFrom} to ${s.heldTo === "9999-12-31" ? "open" : s.heldTo}, recorded ${s.recordedOn}) but not listed for review`, actions: before };
    const extra = listed.filter((id) => !expected.includes(id));
    if (extra.length > 0) return { asOf: s.recordedOn, error: `${extra.join(", ")} listed for review, but ${s.hold.type} ${s.hold.id} (${s.heldFrom} to ${s.heldTo === "9999-12-31" ? "open" : s.heldTo}) does not pause it on its day`, actions: before };

    const after = plan(ctx, { account: history, from: s.recordedOn, to: s.to });
    const bad = after.find((a) => inside(a.plannedOn) && pausedBy(ctx.policy, s.hold, a));
    return bad && { asOf: bad.plannedOn, error: `${bad.kind} (${bad.stage}) planned on ${bad.plannedOn} inside ${s.hold.type} ${s.hold.id} (${s.heldFrom} to ${s.heldTo === "9999-12-31" ? "open" : s.heldTo}), recorded on ${s.recordedOn}`, actions: [...before, ...after] };
  },
});
