/**
 * The collection rate month by month (S3, S4: "per month and quarter, against targets"): for each
 * of the months up to the report's, the charges due in that month and what of them was paid by
 * the report day (payments oldest due first), the same rule as the period's rate, so that the
 * report's own month reads the same here as in the headline.
 */
import { monthIndexOfDay, type EpochDay, type MonthIndex } from "../schedule/time/civil-date.js";
import { InvalidArgumentError } from "../rules/errors.js";

/** One month's charges, billed against paid by the report day. */
export interface MonthRate {
  /** `YYYY-MM`. */
  month: string;
  charges: number;
  billedMinor: number;
  paidMinor: number;
  unpaidMinor: number;
  /** paid / billed in basis points (1/100 of a percent), rounded half up; `null` when nothing was billed. */
  basisPoints: number | null;
}

/** `paid / billed` in basis points, rounded half up, exact for any safe integers. */
export function basisPoints(paid: number, billed: number): number | null {
  if (billed <= 0) return null;
  const p = BigInt(paid);
  const b = BigInt(billed);
  return Number((p * 20000n + b) / (2n * b));
}

/**
 * A target collection rate given in percent (`95`, `92.5`) as basis points; up to two decimals,
 * between 0 and 100.
 *
 * @example targetBasisPoints(92.5) // 9250
 */
export function targetBasisPoints(percent: number): number {
  const bp = Math.round(percent * 100);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100 || Math.abs(percent * 100 - bp) > 1e-6)
    throw new InvalidArgumentError("invalid_number", "targetPercent", `targetPercent must be a percentage from 0 to 100 with at most two decimals (got ${percent})`);
  return bp;
}

/** Tallies charges into the `count` months that end with the month of `last`. */
export class MonthlyTally {
  private readonly first: MonthIndex;
  private readonly billed: number[];
  private readonly paid: number[];
  private readonly charges: number[];

  constructor(last: EpochDay, private readonly count: number) {
    this.first = monthIndexOfDay(last) - count + 1;
    this.billed = new Array<number>(count).fill(0);
    this.paid = new Array<number>(count).fill(0);
    this.charges = new Array<number>(count).fill(0);
  }

  /** A charge due on `due` of `amount`, `unpaid` of it still unpaid on the report day. */
  add(due: EpochDay, amount: number, unpaid: number): void {
    const i = monthIndexOfDay(due) - this.first;
    if (i < 0 || i >= this.count) return;
    this.charges[i]!++;
    this.billed[i]! += amount;
    this.paid[i]! += amount - unpaid;
  }

  get result(): MonthRate[] {
    return this.billed.map((billed, i) => {
      const index = this.first + i;
      const year = Math.floor(index / 12);
      const month = `${year}-${String(index - year * 12 + 1).padStart(2, "0")}`;
      const paid = this.paid[i]!;
      return { month, charges: this.charges[i]!, billedMinor: billed, paidMinor: paid, unpaidMinor: billed - paid, basisPoints: basisPoints(paid, billed) };
    });
  }
}

