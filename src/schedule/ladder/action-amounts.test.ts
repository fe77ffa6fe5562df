/**
 * An action states what is still owed under the policy's payment order: principal and late fee,
 * billed + accrued − paid to the minor unit (Civil Code art. 561: within a debt, costs, then
 * interest, then principal; DOMAIN.md "Partial payments"; "Paying a penalty does not discharge
 * the fee").
 */
import { describe, expect, it } from "vitest";
import { oneCharge } from "../../../tests/helpers.js";
import { builtinPolicySource } from "../../rules/builtins.js";
import { parsePolicy } from "../../rules/parse.js";
import { createScheduler } from "./scheduler.js";

const art561 = createScheduler(parsePolicy({ extends: "residential", id: "art561", version: "1", paymentOrder: "costsLateFeePrincipal" }));
const residential = createScheduler(parsePolicy(builtinPolicySource("residential")));

describe("audit F6: an action's amounts under the policy's payment order", () => {
  it("audit F6 costs, fee, principal: 4.65 paid on 04-01 pays the fee first; the final notice on 04-25 asks 299.85 + 3.75", () => {
    // c1 300.00 due 03-01; the built-in clause: 0.05% a day of the unpaid fee from the day after
    // the due date, rounded half-up, at most 30% (90.00).
    // Payment of 465 on 04-01 first pays the fee accrued through 03-31: 03-02..03-31 = 30 days
    // × 30000 × 5/10000 = 30 × 15 = 450. The other 15 pay principal: 30000 − 15 = 29985.
    // 04-01..04-25 = 25 days × 29985 × 5/10000 = 374.8125; accrued 450 + 374.8125 = 824.8125 → 825.
    // Fee still owed: 825 − 450 = 375. Total: 29985 + 375 = 30360 = 30000 billed + 825 accrued − 465 paid.
    const account = oneCharge({ payments: [{ id: "p1", on: "2026-04-01", amountMinor: 465 }] });
    const final = art561.forecast(account, "2026-03-01", "2026-04-25").find((a) => a.stage === "final_notice")!;
    expect(final.plannedOn).toBe("2026-04-25");
    expect(final.overdueMinor).toBe(29985);
    expect(final.lateFeeMinor).toBe(375);
    expect(final.totalMinor).toBe(30000 + 825 - 465);
    expect(final.charges).toEqual([{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000, unpaidMinor: 29985, lateFeeMinor: 375, overdue: true }]);
    expect(final.because.summary).toContain("299.85 CNY overdue");
  });

  it("audit F6 art. 561: a charge the ladder counts as paid still lists the principal its payment left to the fee", () => {
    // c1 300.00 due 03-01, paid 300.00 on 04-01: 450 to the fee accrued 03-02..03-31 (30 × 15),
    // 29550 to principal, so 450 principal stays owed; on it 04-01..04-25, 25 × 450 × 5/10000 =
    // 5.625: accrued 455.625 → 456, owed 456 − 450 = 6. c2 300.00 due 04-01, unpaid: its dunning
    // notice on 04-25 (S2: day 25 of the billing month), fee 04-02..04-25 = 24 × 15 = 360.
    const account = oneCharge({
      charges: [
        { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
        { id: "c2", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 },
      ],
      payments: [{ id: "p1", on: "2026-04-01", amountMinor: 30000 }],
    });
    const dunning = art561.forecast(account, "2026-04-02", "2026-04-25").find((a) => a.plannedOn === "2026-04-25")!;
    expect(dunning.stage).toBe("dunning_notice");
    expect(dunning.charges.map((c) => [c.id, c.unpaidMinor, c.lateFeeMinor])).toEqual([
      ["c1", 450, 6],
      ["c2", 30000, 360],
    ]);
    expect(dunning.overdueMinor).toBe(30450);
    expect(dunning.totalMinor).toBe(60000 + 456 + 360 - 30000);
    // The ladder counts the whole payment against principal: c1 is paid for it.
    expect(dunning.because.facts.overdueMinor).toBe(30000);
  });

  it("audit F6 principal first (the built-ins): the action's amounts are the ladder's, fee accrued in full (none paid)", () => {
    const account = oneCharge({ payments: [{ id: "p1", on: "2026-04-01", amountMinor: 465 }] });
    const final = residential.forecast(account, "2026-03-01", "2026-04-25").find((a) => a.stage === "final_notice")!;
    // 465 to principal: 29535 owed; fee 30 × 15 = 450 through 03-31, then 25 × 29535 × 5/10000 = 369.1875: 819.1875 → 819.
    expect([final.overdueMinor, final.lateFeeMinor, final.totalMinor]).toEqual([29535, 819, 30000 + 819 - 465]);
  });
});
