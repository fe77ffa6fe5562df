import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtinPolicySource } from "../../rules/builtins.js";
import { parsePolicy } from "../../rules/parse.js";
import { type AccountSnapshot, type RecordedAction } from "../../ledger/account.js";
import { normalizeAccount } from "../../ledger/check-account.js";
import { civilDate, formatCivilDate } from "../time/civil-date.js";
import { compilePolicy } from "./compile.js";
import { DoneLog } from "./log.js";

const compiled = compilePolicy(parsePolicy(builtinPolicySource("residential")));
const months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"];
const charges = months.map((m) => ({ id: `fee-${m}`, period: m, dueOn: `${m}-01`, amountMinor: 10_000 }));

function logOf(actions: RecordedAction[]): DoneLog {
  const snapshot: AccountSnapshot = { id: "A-1", segment: "residential", charges, payments: [], actions };
  const r = normalizeAccount(snapshot);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return DoneLog.fromRecorded(compiled, r.account, civilDate("2030-01-01"));
}

const STAGES = ["billing_notice", "dunning_notice", "final_notice", "arrears_3m_billing_notice", "promise_follow_up"];
const ANCHORS = [...charges.map((c) => c.id), "fee-2025-12", "promise-7", "fee-2026-1"];

describe("DoneLog", () => {
  it("finds each instance under its anchor, whatever order the anchors come in", () => {
    // Keys in any order, on charges near and far from the previous one, on holds and on charges
    // no longer on the ledger: the day each stage was first done for each anchor is the same as
    // counting the keys by hand.
    const key = fc.record({ stage: fc.constantFrom(...STAGES), anchor: fc.constantFrom(...ANCHORS), day: fc.integer({ min: 0, max: 400 }) });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 60 }), (keys) => {
        keys.sort((a, b) => a.day - b.day);
        const start = civilDate("2026-01-01");
        const actions = keys.map((k, i) => ({ id: `A-1:x${i}`, stage: k.stage, on: formatCivilDate(start + k.day), covers: [`${k.stage}@${k.anchor}`] }));
        const log = logOf(actions);
        for (const anchor of ANCHORS)
          for (const stage of STAGES) {
            const first = keys.find((k) => k.anchor === anchor && k.stage === stage);
            const index = compiled.byId.get(stage)!.index;
            expect(log.doneFor(anchor, index)).toBe(first === undefined ? undefined : start + first.day);
            const i = charges.findIndex((c) => c.id === anchor);
            if (i >= 0) expect(log.chargeDone(i, index)).toBe(first === undefined ? undefined : start + first.day);
          }
        // Arrears instances, in order, name their charge's position, or -1 for an anchor that is no charge.
        const arrears = keys.filter((k) => k.stage === "arrears_3m_billing_notice");
        expect((log.instances.get("arrears_3m_billing_notice") ?? []).map((d) => [d.on, d.charge])).toEqual(arrears.map((k) => [start + k.day, charges.findIndex((c) => c.id === k.anchor)]));
      }),
      { numRuns: 300 },
    );
  });

  it("counts the days of a stage and of the stages an action covered", () => {
    const log = logOf([
      { id: "A-1:dunning_notice@fee-2026-01", stage: "dunning_notice", on: "2026-01-25", covers: ["dunning_notice@fee-2026-01"] },
      { id: "A-1:final_notice@fee-2026-01", stage: "final_notice", on: "2026-02-25", covers: ["final_notice@fee-2026-01", "dunning_notice@fee-2026-02"] },
      { id: "A-1:final_notice@fee-2026-02", stage: "final_notice", on: "2026-03-25", covers: ["final_notice@fee-2026-02"] },
    ]);
    expect(log.byStage.get("dunning_notice")).toEqual([civilDate("2026-01-25"), civilDate("2026-02-25")]);
    expect(log.byStage.get("final_notice")).toEqual([civilDate("2026-02-25"), civilDate("2026-03-25")]);
    // The final notice states a deadline (the dunning notice none): each is a written demand, with its charge.
    expect(compiled.byId.get("dunning_notice")!.deadlineDays).toBeUndefined();
    expect(log.demands.map((d) => [d.stage, formatCivilDate(d.on), d.charge])).toEqual([
      ["final_notice", "2026-02-25", 0],
      ["final_notice", "2026-03-25", 1],
    ]);
  });

  it("sees what is added after it was built", () => {
    const log = logOf([{ id: "A-1:billing_notice@fee-2026-01", stage: "billing_notice", on: "2026-01-01", covers: ["billing_notice@fee-2026-01"] }]);
    expect(log.byStage.get("dunning_notice")).toBeUndefined();
    log.add("dunning_notice", ["dunning_notice@fee-2026-01"], civilDate("2026-01-25"));
    expect(log.byStage.get("dunning_notice")).toEqual([civilDate("2026-01-25")]);
    expect(log.chargeDone(0, compiled.byId.get("dunning_notice")!.index)).toBe(civilDate("2026-01-25"));
  });
  it("answers what is added after a question was asked", () => {
    // A forecast asks, adds the day's action, asks again: each index already built must see it.
    const log = logOf([{ id: "A-1:billing_notice@fee-2026-01", stage: "billing_notice", on: "2026-01-01", covers: ["billing_notice@fee-2026-01"] }]);
    const final = compiled.byId.get("final_notice")!.index;
    const dunning = compiled.byId.get("dunning_notice")!.index;
    expect(log.chargeDone(0, final)).toBeUndefined();
    expect(log.instances.get("arrears_3m_billing_notice")).toBeUndefined();
    expect(log.demands).toEqual([]);
    log.add("final_notice", ["final_notice@fee-2026-01", "dunning_notice@fee-2026-02"], civilDate("2026-02-25"));
    log.add("arrears_3m_billing_notice", ["arrears_3m_billing_notice@fee-2026-01"], civilDate("2026-04-01"));
    expect(log.chargeDone(0, final)).toBe(civilDate("2026-02-25"));
    expect(log.chargeDone(1, dunning)).toBe(civilDate("2026-02-25"));
    expect(log.doneFor("fee-2026-02", dunning)).toBe(civilDate("2026-02-25"));
    expect(log.instances.get("arrears_3m_billing_notice")).toEqual([{ on: civilDate("2026-04-01"), charge: 0 }]);
    // The final notice states a deadline: a written demand on its own charge.
    expect(log.demands.map((d) => [d.stage, formatCivilDate(d.on), d.charge])).toEqual([["final_notice", "2026-02-25", 0]]);
  });
});
