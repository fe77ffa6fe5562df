/**
 * Every hold reference resolves (issue 14): an installment plan names the charges it covers by
 * charge id or by billing period, and a name that matches nothing is an error on the account,
 * never a plan that silently covers less. Generated plans name their charges by id, by period and
 * by names the account does not have; sometimes a charge's id is another charge's period, where
 * the id wins.
 */
import fc from "fast-check";
import { isDunningClass } from "../rules/kinds.js";
import type { AccountSnapshot, ChargeSnapshot } from "../ledger/account.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import type { HoldSnapshot } from "../schedule/ladder/hold-types.js";
import { isAccountError } from "../schedule/ladder/scheduler.js";
import type { Scenario } from "./arbitraries.js";
import { cleanScenarios as clean, defineInvariant, forecastOf as plan, type InvariantContext } from "./define.js";
import { chargeOfKey } from "./ledger.js";

/** A plan as generated: when it was agreed, what it names, and which charges those names mean. */
interface NamedPlan {
  id: string;
  agreedOn: string;
  names: string[];
  /** The charge ids the names mean (empty for a name that matches nothing). */
  covers: ReadonlySet<string>;
}

type ReferenceScenario = Scenario & { plans: NamedPlan[]; /** Every name that matches nothing, and its place `holds[i].charges[j]`. */ unresolved: Array<{ path: string; name: string }> };

type Name = { by: "id" | "period"; charge: number } | { by: "unknown"; variant: number };

const nameArb: fc.Arbitrary<Name> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ by: fc.constant("id" as const), charge: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ by: fc.constant("period" as const), charge: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ by: fc.constant("unknown" as const), variant: fc.nat({ max: 4 }) }) },
);

/** A name the account does not have: another id, a month without a charge, a period and an id misspelled, a due date. */
function unknownName(charges: readonly ChargeSnapshot[], variant: number): string {
  const first = charges[0]!;
  const [y, m] = first.period.split("-").map(Number) as [number, number];
  const monthBefore = m === 1 ? `${String(y - 1).padStart(4, "0")}-12` : `${String(y).padStart(4, "0")}-${String(m - 1).padStart(2, "0")}`;
  return [`c${charges.length + variant}`, monthBefore, first.period.replace("-", "/"), first.dueOn, `${first.id} `][variant]!;
}

const referenceArb = (ctx: InvariantContext): fc.Arbitrary<ReferenceScenario> =>
  clean(ctx).chain((scenario) => {
    const span = Math.max(1, civilDate(scenario.to) - civilDate(scenario.from));
    const planArb = fc.record({ start: fc.integer({ min: 0, max: span }), names: fc.array(nameArb, { minLength: 1, maxLength: 4 }) });
    return fc.record({ idIsAPeriod: fc.boolean(), plans: fc.array(planArb, { minLength: 1, maxLength: 2 }) }).map(({ idIsAPeriod, plans }): ReferenceScenario => {
      const charges = scenario.account.charges.map((c) => ({ ...c }));
      // The first charge takes the last one's period as its id: that name then means the first charge alone.
      if (idIsAPeriod && charges.length > 1) charges[0]!.id = charges.at(-1)!.period;
      const ids = new Set(charges.map((c) => c.id));
      const unresolved: ReferenceScenario["unresolved"] = [];
      const named = plans.map((p, k): NamedPlan => {
        const covers = new Set<string>();
        const names = p.names.map((n, j) => {
          if (n.by === "unknown") {
            const name = unknownName(charges, n.variant);
            unresolved.push({ path: `holds[${k}].charges[${j}]`, name });
            return name;
          }
          const charge = charges[n.charge % charges.length]!;
          const name = n.by === "id" ? charge.id : charge.period;
          if (ids.has(name)) covers.add(name);
          else for (const c of charges) if (c.period === name) covers.add(c.id);
          return name;
        });
        return { id: `ip${k}`, agreedOn: formatCivilDate(civilDate(scenario.from) + p.start), names, covers };
      });
      // One instalment due after the window, larger than every payment together: each plan is kept
      // from its agreement to the window's end, never missed and never paid off (a plan paid in full
      // is over, and a policy's residualLateFee may then chase the fee left on its charges).
      const dueOn = formatCivilDate(civilDate(scenario.to) + 60);
      const amountMinor = (scenario.account.payments ?? []).reduce((sum, p) => sum + p.amountMinor, 0) + 1;
      const holds: HoldSnapshot[] = named.map((p) => ({ type: "installmentPlan", id: p.id, agreedOn: p.agreedOn, charges: p.names, instalments: [{ dueOn, amountMinor }] }));
      const account: AccountSnapshot = { ...scenario.account, charges, holds };
      return { ...scenario, account, plans: named, unresolved };
    });
  });

export const holdReferences = defineInvariant<ReferenceScenario>({
  name: "hold-references",
  description:
    "Every hold reference resolves: a plan naming its charges by id or billing period covers them (no owner dunning for them while it is kept); a name that matches nothing is reported (unresolved_reference at its place), never planned silently.",
  scope: "engine",
  arbitrary: referenceArb,
  verify(ctx, scenario) {
    const names = (paths: readonly string[]) => paths.join(", ") || "nothing";
    let actions;
    try {
      actions = plan(ctx, scenario);
    } catch (error) {
      if (!isAccountError(error)) throw error;
      const reported = error.issues.map((i) => (i.code === "unresolved_reference" ? i.path : `${i.path} (${i.code})`)).sort();
      const expected = scenario.unresolved.map((u) => u.path).sort();
      if (JSON.stringify(reported) === JSON.stringify(expected)) return undefined;
      return { error: `reported ${names(reported)} where the names that match nothing are ${names(expected)}: ${error.message}`, actions: [] };
    }
    if (scenario.unresolved.length > 0)
      return { error: `planned although ${names(scenario.unresolved.map((u) => `${u.path} ${JSON.stringify(u.name)}`))} names no charge on the account: nothing was reported`, actions };
    for (const p of scenario.plans) {
      const bad = actions.find((a) => a.audience === "owner" && isDunningClass(a.kind) && a.plannedOn >= p.agreedOn && a.covers.some((c) => p.covers.has(chargeOfKey(c.key))));
      if (bad) {
        const charge = bad.covers.map((c) => chargeOfKey(c.key)).find((id) => p.covers.has(id));
        return { error: `${bad.kind} on ${bad.plannedOn} for charge ${charge}, which plan ${p.id} (kept since ${p.agreedOn}, naming ${JSON.stringify(p.names)}) covers`, asOf: bad.plannedOn, actions };
      }
    }
    return undefined;
  },
});
