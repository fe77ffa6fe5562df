/**
 * Late-fee clauses (滞纳金 / 违约金) in policy files, and the exact integer rounding every amount
 * of the library uses.
 *
 * A clause says what a contract or a statute says: a grace period, how the fee accrues (a daily
 * or monthly rate in basis points, a flat fee, a flat fee plus a daily rate, a one-time
 * percentage), caps, rounding, holiday shift and waivers. Everything is an integer: money in minor
 * units, rates in basis points (1 bp = 0.01 %), so no float is ever read from a file.
 *
 * Penalties are **simple interest on unpaid principal only** (Civil Code art. 585; DOMAIN.md
 * "Constraints from law"): never on a penalty, never compounded, never added to principal. There
 * is deliberately no field that could say otherwise, so a compounding clause cannot be written.
 */
import { z } from "zod";
import { STAGE_KINDS } from "./kinds.js";

function intRange(min: number, max: number) {
  return z.int({ error: `must be a whole number from ${min} to ${max}` }).min(min, { error: `must be ${min}–${max}` }).max(max, { error: `must be ${min}–${max}` });
}

const minor = z.int({ error: "must be a whole number of minor units" }).min(0, { error: "must not be negative" });

// ---------------------------------------------------------------------------------------------
// Rounding, exactly, on integers.

export const ROUNDING_MODES = ["halfUp", "halfEven", "floor"] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/**
 * `numerator / denominator` rounded to an integer, exactly (BigInt, no float). Both must be
 * non-negative (fees are never negative); `halfUp` rounds .5 up, `halfEven` to the even
 * neighbour (banker's rounding), `floor` down.
 *
 * @example divideRounded(465n, 100n, "halfUp") // 5n
 * @example divideRounded(250n, 100n, "halfEven") // 2n
 * @example divideRounded(350n, 100n, "halfEven") // 4n
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  // An invariant, not an input check: every caller passes amounts and rates already checked.
  if (numerator < 0n || denominator <= 0n) throw new RangeError(`divideRounded needs numerator ≥ 0 and denominator > 0 (got ${numerator}/${denominator})`);
  const q = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (mode === "floor" || twice < denominator) return q;
  if (twice > denominator || mode === "halfUp") return q + 1n;
  return q % 2n === 0n ? q : q + 1n; // halfEven, exactly half
}

/**
 * Basis points as a percentage, exactly.
 *
 * @example formatBasisPoints(5) // "0.05%"
 * @example formatBasisPoints(1250) // "12.5%"
 */
export function formatBasisPoints(bp: number): string {
  const whole = Math.floor(bp / 100);
  const frac = String(bp % 100).padStart(2, "0").replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""}%`;
}

// ---------------------------------------------------------------------------------------------
// The clause.

const rateBasisPoints = intRange(1, 10000);

export const DailyAccrualSchema = z
  .strictObject({
    type: z.literal("daily").describe("A rate per day late on the unpaid principal."),
    rateBasisPoints: rateBasisPoints.describe("Rate per day in basis points of the unpaid principal: 5 = 0.05 % per day (万分之五)."),
  })
  .describe("Simple daily interest on the principal still unpaid each day.");

export const MonthlyAccrualSchema = z
  .strictObject({
    type: z.literal("monthly").describe("A rate per month (or part of a month) late."),
    rateBasisPoints: rateBasisPoints.describe("Rate per month in basis points of the principal unpaid on the first day of that month of lateness: 150 = 1.5 % per month."),
  })
  .describe("Simple monthly interest: each month or part of a month of lateness, counted from the first accrual day, adds the rate on the principal then unpaid.");

export const FlatAccrualSchema = z
  .strictObject({
    type: z.literal("flat").describe("One flat fee."),
    amountMinor: minor.describe("The fee in minor units, charged once when the charge is still unpaid after the grace period."),
  })
  .describe("A one-time flat fee.");

export const FlatPlusDailyAccrualSchema = z
  .strictObject({
    type: z.literal("flatPlusDaily").describe("A flat fee, then a daily rate."),
    amountMinor: minor.describe("The initial fee in minor units, charged once when the charge is still unpaid after the grace period."),
    rateBasisPoints: rateBasisPoints.describe("Rate per day in basis points of the unpaid principal, on top of the initial fee."),
  })
  .describe("An initial flat fee plus simple daily interest (e.g. a Texas initial and daily fee).");

export const PercentOnceAccrualSchema = z
  .strictObject({
    type: z.literal("percentOnce").describe("A one-time percentage."),
    rateBasisPoints: rateBasisPoints.describe("Percentage in basis points of the principal unpaid when the fee arises: 500 = 5 %."),
  })
  .describe("A one-time percentage of the unpaid principal, e.g. New York's 5 %.");

export const AccrualSchema = z
  .discriminatedUnion("type", [DailyAccrualSchema, MonthlyAccrualSchema, FlatAccrualSchema, FlatPlusDailyAccrualSchema, PercentOnceAccrualSchema], {
    error: "must have a type of daily, monthly, flat, flatPlusDaily or percentOnce",
  })
  .describe("How the fee accrues. Always simple interest on unpaid principal: there is no way to charge a fee on a fee or to compound.");

export const LateFeeCapsSchema = z
  .strictObject({
    percentOfPrincipalBasisPoints: intRange(0, 10000).optional().describe("Per charge: at most this share of the charge's principal, in basis points (3000 = 30 %); rounded down."),
    amountMinor: minor.optional().describe("Per charge: at most this amount in minor units (New York: 5000 = $50)."),
    annualRateBasisPoints: intRange(0, 10000)
      .optional()
      .describe("Per charge: at most simple interest at this annual rate (basis points, 365-day year) on the principal unpaid each day from the day after the due date; rounded down."),
    perAccountMinor: minor.optional().describe("Per account: all the account's late fees together at most this amount; older charges' fees count first."),
  })
  .describe("Caps. The fee is the least of the uncapped fee and every cap given.");

export const LateFeeWaiverSchema = z
  .discriminatedUnion(
    "type",
    [
      z
        .strictObject({
          type: z.literal("paidWithinDaysOfNotice").describe("Waived when the owner pays promptly."),
          days: intRange(0, 366).describe("The charge's principal is paid in full at most this many days after the first qualifying notice (or before any was delivered)."),
          stageKinds: z.array(z.enum(STAGE_KINDS)).min(1).optional().describe("Kinds of notice that count (default: any recorded notice)."),
        })
        .describe("Waive the fee when the principal is paid in full within N days of a notice (S1, S2: waiving late fees rewards good payers)."),
      z
        .strictObject({
          type: z.literal("firstLateInMonths").describe("Waived for a first late payment."),
          months: intRange(1, 120).describe("No other charge due in this many months before this one was paid late."),
        })
        .describe("Waive the fee on the first late payment in N months."),
      z
        .strictObject({
          type: z.literal("accountTag").describe("Waived for tagged accounts."),
          tag: z.string().min(1).max(64).describe("An owner tag, e.g. `elderly` or `hardship`."),
        })
        .describe("Waive every late fee of accounts carrying this tag (S0, S1: care for owners in difficulty)."),
    ],
    { error: "must have a type of paidWithinDaysOfNotice, firstLateInMonths or accountTag" },
  )
  .describe("A condition under which the fee is waived.");

export const LateFeeClauseSchema = z
  .strictObject({
    label: z.string().min(1).max(200).describe("Short human name of the clause, shown in explanations."),
    contractTerm: z
      .string()
      .min(1)
      .max(2000)
      .describe("The contract term or statute this clause reproduces. Late fees are lawful only as the service contract provides (S3): the estate must confirm this text against its contract."),
    source: z.string().max(500).optional().describe("Where the clause comes from (contract article, statute), for auditors."),
    graceDays: intRange(0, 366)
      .optional()
      .describe("Days after the due date (the due date itself not counted, Civil Code art. 201) the owner may still pay without a fee. Texas \"two full days\" = 2; New York \"within five days\" = 5. Default 0."),
    startsAfter: z
      .enum(["graceEnd", "dueDate"])
      .optional()
      .describe("`graceEnd` (default): accrual starts the day after the grace period. `dueDate`: once the grace period has passed unpaid, accrual counts from the day after the due date. Equal when graceDays is 0."),
    accrual: AccrualSchema,
    caps: LateFeeCapsSchema.optional(),
    rounding: z.enum(ROUNDING_MODES).optional().describe("Rounding to the minor unit: `halfUp` (default), `halfEven` or `floor`."),
    holidayShift: z
      .boolean()
      .optional()
      .describe("When true, a due date, and the grace period's last day, that fall on a non-working day move to the next working day (Civil Code art. 203). Default false."),
    waivers: z.array(LateFeeWaiverSchema).optional().describe("Conditions under which the fee is waived; any one suffices."),
  })
  .describe("A late-fee clause. Simple interest on unpaid principal only: never on a penalty, never compounded, never added to principal.");

export type Accrual = z.infer<typeof AccrualSchema>;
export type LateFeeCaps = z.infer<typeof LateFeeCapsSchema>;
export type LateFeeWaiver = z.infer<typeof LateFeeWaiverSchema>;
export type LateFeeClause = z.infer<typeof LateFeeClauseSchema>;

/**
 * The common property-service contract clause: 0.05 % per day (每日万分之五) of the unpaid fee
 * from the day after the due date, capped at 30 % of the charge's principal, rounded half-up.
 * A contract term, not law: the estate must confirm its contract says so.
 */
export const BUILTIN_LATE_FEE: LateFeeClause = {
  label: "0.05% per day (万分之五), at most 30% of the charge",
  contractTerm:
    "CONTRACT TERM — THE ESTATE MUST CONFIRM IT: \"An owner who pays late pays a late fee of 0.05% of the unpaid fee per day from the day after the due date, at most 30% of that fee.\" Charge it only if the property service contract says so (S3); otherwise remove the clause.",
  source: "Common property service contract clause (万分之五); DOMAIN.md \"Late fees\", Civil Code art. 585",
  graceDays: 0,
  startsAfter: "dueDate",
  accrual: { type: "daily", rateBasisPoints: 5 },
  caps: { percentOfPrincipalBasisPoints: 3000 },
  rounding: "halfUp",
  holidayShift: false,
  waivers: [],
};

/**
 * The accrual in words, for explanations.
 *
 * @example describeAccrual({ type: "daily", rateBasisPoints: 5 }) // "0.05% per day of the unpaid principal"
 */
export function describeAccrual(accrual: Accrual): string {
  switch (accrual.type) {
    case "daily":
      return `${formatBasisPoints(accrual.rateBasisPoints)} per day of the unpaid principal`;
    case "monthly":
      return `${formatBasisPoints(accrual.rateBasisPoints)} per month or part of a month of the unpaid principal`;
    case "flat":
      return `a flat fee of ${accrual.amountMinor} minor units`;
    case "flatPlusDaily":
      return `a flat fee of ${accrual.amountMinor} minor units plus ${formatBasisPoints(accrual.rateBasisPoints)} per day of the unpaid principal`;
    case "percentOnce":
      return `${formatBasisPoints(accrual.rateBasisPoints)} of the unpaid principal, once`;
  }
}
