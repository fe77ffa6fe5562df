/** The money API as a vendor calls it: a snapshot and civil dates in, civil dates out (issue 16 item 3). */
import { describe, expect, it } from "vitest";
import { builtinPolicySource, parsePolicy } from "../../rules/index.js";
import type { AccountSnapshot } from "../../ledger/account.js";
import { computeLateFees, limitationDates } from "./money.js";

const residential = parsePolicy(builtinPolicySource("residential"));
// 300.00 due 2026-03-01; 100.00 paid on 2026-03-11.
const snapshot: AccountSnapshot = {
  id: "A-1",
  charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }],
  payments: [{ id: "p1", on: "2026-03-11", amountMinor: 10000 }],
};

describe("computeLateFees", () => {
  it("states the principal a payment paid on the payment's civil date, not as a day number", () => {
    // The built-in residential policy pays principal first (its contract term): all 100.00 go to principal.
    const r = computeLateFees(residential, snapshot, "2026-04-01");
    expect(r.allocation.charges[0]!.principalPaid).toEqual([{ on: "2026-03-11", amountMinor: 10000 }]);
    expect(r.allocation.charges[0]).toMatchObject({ principalPaidMinor: 10000, principalUnpaidMinor: 20000 });
    expect(r.asOf).toBe("2026-04-01");
  });
});

describe("limitationDates", () => {
  it("a partial payment restarts the period (Civil Code art. 195): three years from 2026-03-11, on civil dates only", () => {
    // 2029-03-11 is a Sunday: the last day moves to Monday 2029-03-12 (art. 203).
    const r = limitationDates(residential, snapshot, "2026-04-01");
    expect(r).toEqual({
      charges: [{ chargeId: "c1", dueOn: "2026-03-01", endsOn: "2029-03-12", restartedBy: { type: "payment", on: "2026-03-11", ref: "p1" }, paidInFull: false }],
      earliest: { chargeId: "c1", endsOn: "2029-03-12" },
    });
  });

  it("with nothing paid, three years from the due date (art. 188), and no earliest once it is paid in full", () => {
    expect(limitationDates(residential, { ...snapshot, payments: [] }, "2026-04-01").earliest).toEqual({ chargeId: "c1", endsOn: "2029-03-01" });
    const paid = limitationDates(residential, { ...snapshot, payments: [{ id: "p1", on: "2026-03-11", amountMinor: 30000 }] }, "2026-04-01");
    expect(paid.earliest).toBeUndefined();
    expect(paid.charges[0]!.paidInFull).toBe(true);
  });
});
