import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BUILTIN_LATE_FEE, LateFeeClauseSchema, describeAccrual, divideRounded, formatBasisPoints, type LateFeeClause } from "./late-fee.js";

/** New York residential (RPL §238-a): the lesser of $50 or 5 % of the monthly rent, after 5 days. */
const NEW_YORK: LateFeeClause = {
  label: "New York: lesser of $50 or 5%",
  contractTerm: "RPL §238-a(2): no late fee unless rent is more than five days late; at most $50 or 5% of the monthly rent, whichever is less.",
  graceDays: 5,
  accrual: { type: "flat", amountMinor: 5000 },
  caps: { percentOfPrincipalBasisPoints: 500 },
};

/** Texas (Prop. Code §92.019): after two full days, initial $50 plus 1 % a day, at most 12 % of the rent (≤ 4 units). */
const TEXAS: LateFeeClause = {
  label: "Texas: initial and daily fee, 12% cap",
  contractTerm: "Prop. Code §92.019: rent unpaid two full days after it was due; the fee is reasonable when it is at most 12% of the monthly rent for a structure of four units or fewer.",
  graceDays: 2,
  startsAfter: "graceEnd",
  accrual: { type: "flatPlusDaily", amountMinor: 5000, rateBasisPoints: 100 },
  caps: { percentOfPrincipalBasisPoints: 1200 },
  rounding: "floor",
};

describe("LateFeeClauseSchema", () => {
  it("accepts the built-in clause, labelled as a contract term the estate must confirm", () => {
    expect(LateFeeClauseSchema.parse(BUILTIN_LATE_FEE)).toEqual(BUILTIN_LATE_FEE);
    expect(BUILTIN_LATE_FEE.contractTerm).toMatch(/CONTRACT TERM — THE ESTATE MUST CONFIRM IT/);
    expect(BUILTIN_LATE_FEE.accrual).toEqual({ type: "daily", rateBasisPoints: 5 });
    expect(BUILTIN_LATE_FEE.caps).toEqual({ percentOfPrincipalBasisPoints: 3000 });
  });

  it("expresses the New York and Texas clauses", () => {
    expect(LateFeeClauseSchema.safeParse(NEW_YORK).success).toBe(true);
    expect(LateFeeClauseSchema.safeParse(TEXAS).success).toBe(true);
  });

  it("cannot express compounding, a fee on a fee, or a float rate", () => {
    const bad = [
      { ...BUILTIN_LATE_FEE, compounding: true },
      { ...BUILTIN_LATE_FEE, accrual: { type: "daily", rateBasisPoints: 5, compound: "monthly" } },
      { ...BUILTIN_LATE_FEE, accrual: { type: "compound", rateBasisPoints: 5 } },
      { ...BUILTIN_LATE_FEE, accrual: { type: "daily", rateBasisPoints: 5, base: "principalPlusFees" } },
      { ...BUILTIN_LATE_FEE, accrual: { type: "daily", rateBasisPoints: 0.5 } },
      { ...BUILTIN_LATE_FEE, caps: { amountMinor: 12.5 } },
      { ...BUILTIN_LATE_FEE, graceDays: -1 },
      { ...BUILTIN_LATE_FEE, rounding: "ceiling" },
      { ...BUILTIN_LATE_FEE, waivers: [{ type: "accountTag" }] },
    ];
    for (const clause of bad) expect(LateFeeClauseSchema.safeParse(clause).success, JSON.stringify(clause)).toBe(false);
  });

  it("is JSON-native and every field is described", () => {
    const json = z.toJSONSchema(LateFeeClauseSchema, { io: "input", unrepresentable: "throw" }) as { properties: Record<string, { description?: string }> };
    for (const [name, prop] of Object.entries(json.properties)) expect(prop.description, name).toBeTruthy();
    // no property anywhere could switch compounding on
    const keys: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object")
        for (const [k, v] of Object.entries(node)) {
          if (k === "properties") keys.push(...Object.keys(v as object));
          walk(v);
        }
    };
    walk(json);
    expect(keys).toContain("rateBasisPoints");
    expect(keys.filter((k) => /compound|interestOn|base/i.test(k))).toEqual([]);
  });
});

describe("divideRounded", () => {
  it.each([
    [465n, 100n, "halfUp", 5n],
    [450n, 100n, "halfUp", 5n],
    [449n, 100n, "halfUp", 4n],
    [250n, 100n, "halfEven", 2n],
    [350n, 100n, "halfEven", 4n],
    [251n, 100n, "halfEven", 3n],
    [299n, 100n, "floor", 2n],
    [0n, 7n, "halfUp", 0n],
  ] as const)("%s / %s %s = %s", (n, d, mode, q) => expect(divideRounded(n, d, mode)).toBe(q));

  it("is exact far beyond 2^53", () => {
    const n = 9_007_199_254_740_993n * 10_000n * 36_500n + 5_000n;
    expect(divideRounded(n, 10_000n, "halfUp")).toBe(9_007_199_254_740_993n * 36_500n + 1n);
    expect(divideRounded(n, 10_000n, "floor")).toBe(9_007_199_254_740_993n * 36_500n);
  });

  it("rejects negative operands", () => expect(() => divideRounded(-1n, 2n, "floor")).toThrow(RangeError));

  it("property: the result is the nearest integer (within half), with the mode's tie rule", () => {
    fc.assert(
      fc.property(
        // half the draws are exact ties (q + ½), where the modes differ
        fc.oneof(
          fc.tuple(fc.bigInt({ min: 0n, max: 1n << 80n }), fc.bigInt({ min: 1n, max: 1n << 40n })),
          fc.tuple(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: 1n, max: 1n << 39n })).map(([q, h]) => [q * 2n * h + h, 2n * h] as [bigint, bigint]),
        ),
        fc.constantFrom("halfUp" as const, "halfEven" as const, "floor" as const),
        ([n, d], mode) => {
        const q = divideRounded(n, d, mode);
        const diff = q * d * 2n - n * 2n; // 2·(q − n/d)·d
        if (mode === "floor") return q * d <= n && n < (q + 1n) * d;
        if (diff === d) return mode === "halfUp" || q % 2n === 0n; // rounded up from exactly half
        if (diff === -d) return mode === "halfEven" && q % 2n === 0n; // rounded down from exactly half
        return -d < diff && diff < d;
      }),
    );
  });
});

describe("descriptions", () => {
  it("formats basis points exactly", () => {
    expect([5, 50, 500, 1250, 3000, 10000, 1].map(formatBasisPoints)).toEqual(["0.05%", "0.5%", "5%", "12.5%", "30%", "100%", "0.01%"]);
  });
  it("describes each accrual", () => {
    expect(describeAccrual(BUILTIN_LATE_FEE.accrual)).toBe("0.05% per day of the unpaid principal");
    expect(describeAccrual(TEXAS.accrual)).toBe("a flat fee of 5000 minor units plus 1% per day of the unpaid principal");
    expect(describeAccrual({ type: "percentOnce", rateBasisPoints: 500 })).toBe("5% of the unpaid principal, once");
  });
});
