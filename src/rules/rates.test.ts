import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILTIN_RATES, RateRulesSchema, assessCharge, type RateRules } from "./rates.js";

const unit = { fullRateMinor: 25000 };

describe("assessCharge, S2 entrusted units (托管房)", () => {
  it("bills 70% of the full rate while the unit stays unused", () => {
    const a = assessCharge(BUILTIN_RATES, unit, { occupancy: "entrusted", waterLitres: 3000, electricityWh: 12000 });
    expect(a).toMatchObject({ amountMinor: 17500, rateBasisPoints: 7000, rule: BUILTIN_RATES[0] });
    expect(a.reason).toContain("70% of the full rate 25000 = 17500");
    expect(a.reason).toContain("water 3 m³ ≤ 5 m³, electricity 12 kWh ≤ 20 kWh");
  });

  it("bills in full with 6 m³ of water, naming the threshold", () => {
    const a = assessCharge(BUILTIN_RATES, unit, { occupancy: "entrusted", waterLitres: 6000, electricityWh: 0 });
    expect(a).toMatchObject({ amountMinor: 25000, rateBasisPoints: 10000, limit: { meter: "water", reading: 6000, max: 5000 } });
    expect(a.reason).toContain("water 6 m³ exceeds the 5 m³ limit");
  });

  it("bills in full above 20 kWh, and keeps the reduced rate at exactly the limits", () => {
    expect(assessCharge(BUILTIN_RATES, unit, { occupancy: "entrusted", waterLitres: 0, electricityWh: 20001 })).toMatchObject({ amountMinor: 25000, limit: { meter: "electricity", max: 20000 } });
    expect(assessCharge(BUILTIN_RATES, unit, { occupancy: "entrusted", waterLitres: 5000, electricityWh: 20000 }).amountMinor).toBe(17500);
  });

  it("bills in full when a reading needed for the reduction is missing", () => {
    const a = assessCharge(BUILTIN_RATES, unit, { occupancy: "entrusted", waterLitres: 1000 });
    expect(a).toMatchObject({ amountMinor: 25000, limit: { meter: "electricity", max: 20000 } });
    expect(a.reason).toContain("no electricity reading");
  });

  it("bills occupied and vacant units in full when no rule names them (art. 944)", () => {
    expect(assessCharge(BUILTIN_RATES, unit, { occupancy: "vacant" })).toMatchObject({ amountMinor: 25000, rateBasisPoints: 10000 });
    expect(assessCharge(BUILTIN_RATES, unit, { occupancy: "occupied" }).reason).toContain("no rate rule");
    expect(assessCharge([], unit, { occupancy: "entrusted", waterLitres: 0, electricityWh: 0 }).amountMinor).toBe(25000);
  });

  it("lets an estate set 60% for vacancy, rounding half-up to the minor unit", () => {
    const rules: RateRules = RateRulesSchema.parse([{ occupancy: "vacant", rateBasisPoints: 6000 }]);
    expect(assessCharge(rules, { fullRateMinor: 25001 }, { occupancy: "vacant" }).amountMinor).toBe(15001); // 15000.6
    expect(assessCharge(rules, { fullRateMinor: 12345 }, { occupancy: "vacant" }).amountMinor).toBe(7407); // 7407.0
    expect(assessCharge([{ occupancy: "vacant", rateBasisPoints: 5000 }], { fullRateMinor: 1 }, { occupancy: "vacant" }).amountMinor).toBe(1); // 0.5 → 1
  });

  it("rejects bad input", () => {
    expect(() => assessCharge(BUILTIN_RATES, { fullRateMinor: 1.5 }, { occupancy: "vacant" })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "fullRateMinor" }));
    expect(() => assessCharge(BUILTIN_RATES, unit, { occupancy: "entrusted", waterLitres: -1 })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "waterLitres" }));
  });
});

describe("RateRulesSchema", () => {
  it("accepts the built-ins and rejects floats, duplicates and unknown fields", () => {
    expect(RateRulesSchema.parse(BUILTIN_RATES)).toEqual(BUILTIN_RATES);
    expect(RateRulesSchema.safeParse([{ occupancy: "entrusted", rateBasisPoints: 70.5 }]).success).toBe(false);
    expect(RateRulesSchema.safeParse([{ occupancy: "entrusted", rateBasisPoints: 7000, maxWaterLitres: 5.5 }]).success).toBe(false);
    expect(RateRulesSchema.safeParse([{ occupancy: "vacant", rateBasisPoints: 6000 }, { occupancy: "vacant", rateBasisPoints: 5000 }]).success).toBe(false);
    expect(RateRulesSchema.safeParse([{ occupancy: "vacant", rateBasisPoints: 6000, discount: 1 }]).success).toBe(false);
    expect(RateRulesSchema.safeParse([{ occupancy: "holiday", rateBasisPoints: 6000 }]).success).toBe(false);
  });
});

describe("properties", () => {
  it("the entrusted rate is exact: full × rate / 10000 rounded half-up, never above the full rate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 10000 }), (full, bp) => {
        const a = assessCharge([{ occupancy: "entrusted", rateBasisPoints: bp }], { fullRateMinor: full }, { occupancy: "entrusted" });
        const err = BigInt(full) * BigInt(bp) - BigInt(a.amountMinor) * 10000n; // exact minus rounded, ×10000
        return err >= -5000n && err < 5000n && a.amountMinor <= full && a.amountMinor >= 0;
      }),
    );
  });

  it("over a meter limit the full rate applies, within it the reduced one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.oneof(fc.constantFrom(4999, 5000, 5001), fc.integer({ min: 0, max: 20_000 })),
        fc.oneof(fc.constantFrom(19999, 20000, 20001), fc.integer({ min: 0, max: 50_000 })),
        (full, water, power) => {
        const a = assessCharge(BUILTIN_RATES, { fullRateMinor: full }, { occupancy: "entrusted", waterLitres: water, electricityWh: power });
        const within = water <= 5000 && power <= 20000;
        return a.rateBasisPoints === (within ? 7000 : 10000) && (within || a.amountMinor === full);
      }),
    );
  });
});

describe("assessCharge with a policy", () => {
  it("uses the policy's rates: the residential built-in reproduces S2's 70% for entrusted units", async () => {
    const { parsePolicy } = await import("./parse.js");
    const { builtinPolicySource } = await import("./builtins.js");
    const residential = parsePolicy(builtinPolicySource("residential"));
    expect(assessCharge(residential, { fullRateMinor: 25000 }, { occupancy: "entrusted", waterLitres: 0, electricityWh: 0 }).amountMinor).toBe(17500);
    expect(assessCharge(residential, { fullRateMinor: 25000 }, { occupancy: "entrusted", waterLitres: 6000, electricityWh: 0 }).amountMinor).toBe(25000);
    const sixty = parsePolicy({ extends: "residential", id: "long-vacancy", version: "1", rates: [{ occupancy: "vacant", rateBasisPoints: 6000 }] });
    expect(assessCharge(sixty, { fullRateMinor: 25000 }, { occupancy: "vacant" }).amountMinor).toBe(15000);
    const withoutRates = { ...residential, rates: undefined };
    expect(assessCharge(withoutRates, { fullRateMinor: 25000 }, { occupancy: "entrusted", waterLitres: 0, electricityWh: 0 }).amountMinor).toBe(25000);
  });
});
