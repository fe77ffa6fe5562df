/**
 * Occupancy-based rates: what share of the full rate a unit pays for a period, by how it was
 * occupied. The seed case is the entrusted unit (托管房, S2 "⑥房屋托管"): 70 % of the full rate
 * while the unit stays unused, i.e. water ≤ 5 m³ and electricity ≤ 20 kWh over the trust period;
 * beyond that it is treated as occupied and billed in full.
 *
 * Meter readings are integers: water in litres (1 m³ = 1000 L), electricity in watt-hours
 * (1 kWh = 1000 Wh). A vacant unit with no rule pays the full rate: not using the service is no
 * reason to refuse the fee (Civil Code art. 944).
 */
import { z } from "zod";
import { divideRounded, formatBasisPoints } from "./late-fee.js";
import { InvalidArgumentError } from "./errors.js";

export const OCCUPANCIES = ["occupied", "vacant", "entrusted"] as const;
export type Occupancy = (typeof OCCUPANCIES)[number];

function intRange(min: number, max: number) {
  return z.int({ error: `must be a whole number from ${min} to ${max}` }).min(min, { error: `must be ${min}–${max}` }).max(max, { error: `must be ${min}–${max}` });
}

export const RateRuleSchema = z
  .strictObject({
    occupancy: z.enum(OCCUPANCIES).describe("The occupancy the rule applies to: `occupied`, `vacant` or `entrusted` (托管房)."),
    rateBasisPoints: intRange(0, 10000).describe("Share of the full rate, in basis points: 7000 = 70 %. Rounded half-up to the minor unit."),
    maxWaterLitres: z
      .int()
      .min(0)
      .optional()
      .describe("The rule holds only while water used over the period is at most this many litres (S2: 5 m³ = 5000); above it, the full rate applies."),
    maxElectricityWh: z
      .int()
      .min(0)
      .optional()
      .describe("The rule holds only while electricity used over the period is at most this many watt-hours (S2: 20 kWh = 20000); above it, the full rate applies."),
    label: z.string().max(200).optional().describe("A human name, e.g. 托管房."),
    source: z.string().max(500).optional().describe("Where the rule comes from, for auditors."),
  })
  .describe("One occupancy rate: the share of the full rate a unit in this occupancy pays, with optional meter limits.");

export const RateRulesSchema = z
  .array(RateRuleSchema)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.occupancy)) ctx.addIssue({ code: "custom", path: [i, "occupancy"], message: `duplicate rule for occupancy ${r.occupancy}` });
      seen.add(r.occupancy);
    });
  })
  .describe("Occupancy rates, at most one per occupancy. An occupancy without a rule pays the full rate; an empty list means no reductions.");

export type RateRule = z.infer<typeof RateRuleSchema>;
export type RateRules = z.infer<typeof RateRulesSchema>;

/** S2 "⑥房屋托管": entrusted units pay 70 % while water ≤ 5 m³ and electricity ≤ 20 kWh. */
export const BUILTIN_RATES: RateRules = [
  {
    occupancy: "entrusted",
    rateBasisPoints: 7000,
    maxWaterLitres: 5000,
    maxElectricityWh: 20000,
    label: "托管房 (entrusted unit)",
    source: "S2 ⑥房屋托管: 70% of the full rate; water ≤ 5 m³ and electricity ≤ 20 kWh over the trust period",
  },
];

/** What the ledger states about one unit for one period. */
export interface OccupancyPeriod {
  occupancy: Occupancy;
  /** Water used over the period, litres. */
  waterLitres?: number;
  /** Electricity used over the period, watt-hours. */
  electricityWh?: number;
}

export interface Assessment {
  amountMinor: number;
  /** 10000 when the full rate applies. */
  rateBasisPoints: number;
  reason: string;
  /** The rule that applied or was considered. */
  rule?: RateRule;
  /** The meter limit that was exceeded or could not be checked, when that is why the full rate applies. */
  limit?: { meter: "water" | "electricity"; reading?: number; max: number };
}

function checkMinor(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) throw new InvalidArgumentError("invalid_number", name, `${name} must be a non-negative integer (got ${value})`);
}

/** Thousandths as a decimal, exactly: 6000 → "6", 5500 → "5.5". */
function milli(value: number): string {
  const frac = String(value % 1000).padStart(3, "0").replace(/0+$/, "");
  return `${Math.floor(value / 1000)}${frac ? `.${frac}` : ""}`;
}

/**
 * The amount a unit owes for a period, and why.
 *
 * @example
 * // S2 ⑥: an entrusted unit (托管房) that used at most 5 m³ of water and 20 kWh pays 70%.
 * const residential = parsePolicy(builtinPolicySource("residential"));
 * assessCharge(residential, { fullRateMinor: 25000 }, { occupancy: "entrusted", waterLitres: 3000, electricityWh: 12000 }).amountMinor // => 17500
 * // 6 m³ of water: the unit is treated as occupied, at the full rate.
 * assessCharge(residential, { fullRateMinor: 25000 }, { occupancy: "entrusted", waterLitres: 6000, electricityWh: 0 }).amountMinor // => 25000
 */
export function assessCharge(ratesOrPolicy: RateRules | { readonly rates?: RateRules }, unit: { fullRateMinor: number }, period: OccupancyPeriod): Assessment {
  // A policy's own rates, or none (every unit pays the full rate) when it states none.
  const rates: RateRules = Array.isArray(ratesOrPolicy) ? ratesOrPolicy : ((ratesOrPolicy as { rates?: RateRules }).rates ?? []);
  const full = unit.fullRateMinor;
  checkMinor("fullRateMinor", full);
  checkMinor("waterLitres", period.waterLitres);
  checkMinor("electricityWh", period.electricityWh);
  const rule = rates.find((r) => r.occupancy === period.occupancy);
  if (!rule) return { amountMinor: full, rateBasisPoints: 10000, reason: `${period.occupancy}: full rate (no rate rule for this occupancy)` };
  const name = rule.label ?? period.occupancy;
  const meters = [
    { meter: "water" as const, reading: period.waterLitres, max: rule.maxWaterLitres, text: (v: number) => `${milli(v)} m³` },
    { meter: "electricity" as const, reading: period.electricityWh, max: rule.maxElectricityWh, text: (v: number) => `${milli(v)} kWh` },
  ];
  const checked: string[] = [];
  for (const m of meters) {
    if (m.max === undefined) continue;
    // S2: the reduced rate holds only while the unit stays unused; without a reading that cannot be shown.
    if (m.reading === undefined)
      return { amountMinor: full, rateBasisPoints: 10000, rule, limit: { meter: m.meter, max: m.max }, reason: `${name}: full rate, no ${m.meter} reading for the period (the reduced rate needs ${m.meter} ≤ ${m.text(m.max)})` };
    if (m.reading > m.max)
      return {
        amountMinor: full,
        rateBasisPoints: 10000,
        rule,
        limit: { meter: m.meter, reading: m.reading, max: m.max },
        reason: `${name}: full rate, ${m.meter} ${m.text(m.reading)} exceeds the ${m.text(m.max)} limit over the period, so the unit counts as occupied${rule.source ? ` (${rule.source})` : ""}`,
      };
    checked.push(`${m.meter} ${m.text(m.reading)} ≤ ${m.text(m.max)}`);
  }
  const amountMinor = Number(divideRounded(BigInt(full) * BigInt(rule.rateBasisPoints), 10000n, "halfUp"));
  return {
    amountMinor,
    rateBasisPoints: rule.rateBasisPoints,
    rule,
    reason: `${name}: ${formatBasisPoints(rule.rateBasisPoints)} of the full rate ${full} = ${amountMinor} minor units${checked.length ? `; ${checked.join(", ")}` : ""}${rule.source ? ` (${rule.source})` : ""}`,
  };
}
