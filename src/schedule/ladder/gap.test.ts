/**
 * gap.ts on S2's residential ladder (dunning notice on the billing month's 25th, final notice on
 * the next month's 25th), the days worked out by hand from DOMAIN.md's decided reading.
 */
import { describe, expect, it } from "vitest";
import { builtinPolicySource } from "../../rules/builtins.js";
import { parsePolicy } from "../../rules/parse.js";
import type { Charge } from "../../ledger/account.js";
import { civilDate as d, parsePeriod } from "../time/civil-date.js";
import { compilePolicy } from "./compile.js";
import { firstOwed, gapAfter } from "./gap.js";

const compiled = compilePolicy(parsePolicy(builtinPolicySource("residential")));
const bill = compiled.byId.get("billing_notice")!;
const dunning = compiled.byId.get("dunning_notice")!;
const final = compiled.byId.get("final_notice")!;
const charge = (period: string, dueOn: string): Charge => ({ id: "c1", period, month: parsePeriod(period)!, due: d(dueOn), amount: 30000 });

describe("firstOwed", () => {
  it("a warning whose day is on or before the due date is first owed the day after it", () => {
    expect(firstOwed(dunning, charge("2026-03", "2026-03-31"), d("2026-03-25"))).toBe(d("2026-04-01"));
    expect(firstOwed(dunning, charge("2026-02", "2026-02-28"), d("2026-02-25"))).toBe(d("2026-03-01"));
    expect(firstOwed(dunning, charge("2026-03", "2026-03-25"), d("2026-03-25"))).toBe(d("2026-03-26"));
  });
  it("a warning after the due date, and a bill before it, keep their own day", () => {
    expect(firstOwed(dunning, charge("2026-03", "2026-03-01"), d("2026-03-25"))).toBe(d("2026-03-25"));
    expect(firstOwed(bill, charge("2026-03", "2026-03-31"), d("2026-03-01"))).toBe(d("2026-03-01"));
  });
});

describe("gapAfter", () => {
  it("after a dunning notice on time (first owed 04-01, carried out 04-01) the final notice keeps its own 04-25: 24 days", () => {
    const c = charge("2026-03", "2026-03-31");
    expect(gapAfter(final, dunning, c, d("2026-04-25"), d("2026-04-25"), d("2026-03-25"), d("2026-04-01"))).toBe(24);
  });
  it("after a late dunning notice (due 03-25, carried out 05-10) the regular gap, 03-25 → 04-25: 31 days", () => {
    const c = charge("2026-03", "2026-03-01");
    expect(gapAfter(final, dunning, c, d("2026-04-25"), d("2026-04-25"), d("2026-03-25"), d("2026-05-10"))).toBe(31);
  });
  it("late by one day is late: carried out 04-02 though first owed 04-01, the final notice 31 days after (05-03)", () => {
    const c = charge("2026-03", "2026-03-31");
    expect(gapAfter(final, dunning, c, d("2026-04-25"), d("2026-04-25"), d("2026-03-25"), d("2026-04-02"))).toBe(31);
  });
  it("never the same day: a predecessor on time but on the successor's own day leaves one day", () => {
    const c = charge("2026-03", "2026-03-01");
    expect(gapAfter(final, dunning, c, d("2026-03-25"), d("2026-04-25"), d("2026-03-25"), d("2026-03-25"))).toBe(1);
  });
  it("a stated gap (minGapDays) is kept whether or not the predecessor was late", () => {
    const spaced = compilePolicy(parsePolicy({ extends: "residential", id: "s", version: "1", stages: [{ id: "final_notice", minGapDays: 40 }] }));
    const c = charge("2026-03", "2026-03-01");
    expect(gapAfter(spaced.byId.get("final_notice")!, spaced.byId.get("dunning_notice")!, c, d("2026-04-25"), d("2026-04-25"), d("2026-03-25"), d("2026-03-25"))).toBe(40);
  });
});
