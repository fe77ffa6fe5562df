/**
 * The money invariant: late fees within their bounds and monotone, an action's total its parts,
 * payments allocated to the last minor unit and principal settled oldest charge first, and
 * occupancy rates (the 70 % of an entrusted unit) exact. Each is checked with the kit's own
 * arithmetic against what the library computes.
 */
import fc from "fast-check";
import { assessCharge, OCCUPANCIES, type OccupancyPeriod } from "../rules/rates.js";
import type { Policy } from "../rules/schema.js";
import { computeLateFees } from "../schedule/fees/money.js";
import { civilDate } from "../schedule/time/civil-date.js";
import type { Scenario } from "./arbitraries.js";
import { cleanScenarios, defineInvariant, forecastOf, type InvariantContext, type MoneyFunctions, type Violation } from "./define.js";
import { chargesInPayOrder } from "./ledger.js";

// Declared in define.ts, whose options carry them (define.ts imports nothing from here: no cycle).
export type { MoneyFunctions } from "./define.js";

type Assessed = { fullRateMinor: number; period: OccupancyPeriod };
type MoneyScenario = Scenario & { assessed: Assessed[] };

const assessedArb: fc.Arbitrary<Assessed> = fc.record({
  fullRateMinor: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100_000_000 })),
  period: fc.record(
    {
      occupancy: fc.constantFrom(...OCCUPANCIES),
      // Around the built-in limits (5 m³, 20 kWh) and far past them.
      waterLitres: fc.oneof(fc.integer({ min: 4990, max: 5010 }), fc.integer({ min: 0, max: 100_000 })),
      electricityWh: fc.oneof(fc.integer({ min: 19_990, max: 20_010 }), fc.integer({ min: 0, max: 1_000_000 })),
    },
    { requiredKeys: ["occupancy"] },
  ),
});

/** What a unit owes for a period under `policy.rates`, by the schema's words: half-up to the minor unit, full rate past a limit or without a reading. */
function expectedAssessment(policy: Policy, { fullRateMinor, period }: Assessed): number {
  const rule = (policy.rates ?? []).find((r) => r.occupancy === period.occupancy);
  if (!rule) return fullRateMinor;
  const over = (reading: number | undefined, max: number | undefined) => max !== undefined && (reading === undefined || reading > max);
  if (over(period.waterLitres, rule.maxWaterLitres) || over(period.electricityWh, rule.maxElectricityWh)) return fullRateMinor;
  const product = BigInt(fullRateMinor) * BigInt(rule.rateBasisPoints);
  return Number((product + 5000n) / 10000n);
}

function feeFindings(ctx: InvariantContext, scenario: MoneyScenario): Violation | undefined {
  const actions = forecastOf(ctx, scenario);
  const capBp = ctx.policy.lateFee?.caps?.percentOfPrincipalBasisPoints;
  const capMinor = ctx.policy.lateFee?.caps?.amountMinor;
  // A charge's fee on an action is what is still owed of it: accrued, less what payments paid of it.
  // The fee accrued never falls; what is owed falls only by a payment made since the last action.
  const last = new Map<string, { fee: number; on: string }>();
  const paymentDays = (scenario.account.payments ?? []).map((p) => p.on);
  const paidSince = (from: string, to: string) => paymentDays.some((d) => d > from && d <= to);
  for (const a of actions) {
    if (a.totalMinor !== a.overdueMinor + a.lateFeeMinor) return { error: `${a.kind} on ${a.plannedOn}: total ${a.totalMinor} ≠ ${a.overdueMinor} + ${a.lateFeeMinor}`, asOf: a.plannedOn, actions };
    if (a.lateFeeMinor !== a.charges.reduce((s, c) => s + c.lateFeeMinor, 0)) return { error: `${a.kind} on ${a.plannedOn}: late fee is not the sum of its charges'`, asOf: a.plannedOn, actions };
    for (const c of a.charges) {
      const limit = Math.min(capBp !== undefined ? Math.floor((c.amountMinor * capBp) / 10000) : Infinity, capMinor ?? Infinity);
      if (c.lateFeeMinor < 0 || c.lateFeeMinor > limit) return { error: `charge ${c.id} on ${a.plannedOn}: late fee ${c.lateFeeMinor} outside 0–${limit}`, asOf: a.plannedOn, actions };
      const before = last.get(c.id);
      if (before !== undefined && c.lateFeeMinor < before.fee && !paidSince(before.on, a.plannedOn))
        return { error: `charge ${c.id}: late fee fell from ${before.fee} on ${before.on} to ${c.lateFeeMinor} on ${a.plannedOn}, with no payment in between`, asOf: a.plannedOn, actions };
      last.set(c.id, { fee: c.lateFeeMinor, on: a.plannedOn });
    }
  }
  return undefined;
}

/** Every payment up to `to` allocated to the minor unit, nothing negative, no charge paid past its principal, principal settled oldest charge first. */
function allocationFindings(ctx: InvariantContext, money: MoneyFunctions, { account, to }: MoneyScenario): Violation | undefined {
  const fail = (error: string): Violation => ({ error: `allocation on ${to}: ${error}`, asOf: to, actions: [] });
  if (!ctx.policy.lateFee) return undefined; // no clause, no allocation to check
  const { allocation } = money.computeLateFees(ctx.policy, structuredClone(account), to);
  const paid = (account.payments ?? []).filter((p) => civilDate(p.on) <= civilDate(to));
  if (allocation.payments.length !== paid.length) return fail(`${allocation.payments.length} payments allocated, ${paid.length} made`);
  for (const p of allocation.payments) {
    const sum = p.lines.reduce((s, l) => s + l.amountMinor, 0) + p.creditMinor;
    if (sum !== p.amountMinor) return fail(`payment ${p.paymentId} of ${p.amountMinor}: its lines and credit sum to ${sum}`);
    const bad = p.lines.find((l) => !Number.isSafeInteger(l.amountMinor) || l.amountMinor <= 0) ?? (p.creditMinor < 0 ? { amountMinor: p.creditMinor } : undefined);
    if (bad) return fail(`payment ${p.paymentId}: a line or credit of ${bad.amountMinor}`);
  }
  const principal = new Map(allocation.charges.map((c) => [c.chargeId, c.principalPaidMinor]));
  let short: string | undefined;
  for (const c of chargesInPayOrder(account)) {
    const got = principal.get(c.id) ?? 0;
    if (got > c.amountMinor) return fail(`charge ${c.id} of ${c.amountMinor}: ${got} principal paid`);
    if (short !== undefined && got > 0) return fail(`charge ${c.id} got principal while the older ${short} is unpaid`);
    if (got < c.amountMinor) short ??= c.id;
  }
  return undefined;
}

function rateFindings(ctx: InvariantContext, money: MoneyFunctions, { assessed, to }: MoneyScenario): Violation | undefined {
  for (const a of assessed) {
    const expected = expectedAssessment(ctx.policy, a);
    const got = money.assessCharge(ctx.policy, { fullRateMinor: a.fullRateMinor }, a.period).amountMinor;
    if (got !== expected)
      return { error: `${a.period.occupancy} unit at full rate ${a.fullRateMinor} (water ${a.period.waterLitres ?? "–"} L, electricity ${a.period.electricityWh ?? "–"} Wh) assessed ${got}, not ${expected}`, asOf: to, actions: [] };
  }
  return undefined;
}

export const moneyBounds = defineInvariant<MoneyScenario>({
  name: "money",
  description:
    "Late fees are never negative, never above a per-charge cap, never falling as days pass but by a payment; an action's total is its overdue principal plus its late fee; every payment is allocated to the minor unit, principal oldest charge first; occupancy rates (an entrusted unit's 70 %) are exact.",
  scope: "engine",
  arbitrary: (ctx) => fc.tuple(cleanScenarios(ctx), fc.array(assessedArb, { minLength: 1, maxLength: 4 })).map(([scenario, assessed]) => ({ ...scenario, assessed })),
  verify(ctx, scenario) {
    const money: MoneyFunctions = { computeLateFees, assessCharge, ...ctx.options.money };
    return feeFindings(ctx, scenario) ?? allocationFindings(ctx, money, scenario) ?? rateFindings(ctx, money, scenario);
  },
});
