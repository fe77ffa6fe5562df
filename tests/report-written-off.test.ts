/**
 * `report`'s limitation section leaves written-off charges out. A write-off (a terminal stage that
 * `writesOff`, examples/recipes/end-of-the-road.json) ends the debt of the charges overdue on its
 * day: the planner plans nothing more for them, not even the staff's review before the limitation
 * date (src/schedule/ladder/terminal.ts). A list of "debts near their limitation date" that names
 * them asks a person to act on a claim the estate gave up.
 *
 * Two twins: 300.00 for 2023-09, due 2023-09-01, never paid, no written demand delivered, so
 * nothing restarted the period (art. 195): it ends 2026-09-01 (art. 188, three years, the start
 * day not counted). Both were handed to a collection agency on 2026-01-10; W-1's debt was then
 * written off on 2026-02-10, H-1's was not. W-1 was billed again for 2026-03, after the write-off.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot, RecordedAction } from "../src/ledger/account.js";
import { buildReport } from "../src/reports/report.js";
import { parsePolicy } from "../src/rules/parse.js";

const policy = parsePolicy(JSON.parse(readFileSync(new URL("../examples/recipes/end-of-the-road.json", import.meta.url), "utf8")));
const done = (account: string, stage: string, anchor: string, on: string): RecordedAction => ({ id: `${account}:${stage}@${anchor}`, stage, on });

const twin = (id: string, writtenOffOn?: string, later: AccountSnapshot["charges"] = []): AccountSnapshot => ({
  id,
  segment: "residential",
  charges: [{ id: "c2023-09", period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }, ...later],
  payments: [],
  actions: [
    done(id, "billing_notice", "c2023-09", "2023-09-01"),
    done(id, "dunning_notice", "c2023-09", "2023-09-25"),
    done(id, "collection_agency", "c2023-09", "2026-01-10"),
    ...(writtenOffOn ? [done(id, "write_off", "c2023-09", writtenOffOn)] : []),
  ],
});
const ledger = () => memoryLedger([twin("H-1"), twin("W-1", "2026-02-10", [{ id: "c2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }])]);

describe("report: the limitation section and written-off charges", () => {
  it("on 2026-04-01 (153 days before 2026-09-01) only the charge not written off is listed", async () => {
    const report = await buildReport(ledger(), { asOf: "2026-04-01", policy });
    expect(report.limitation.debts.map((d) => [d.accountId, d.chargeId, d.endsOn, d.daysLeft])).toEqual([["H-1", "c2023-09", "2026-09-01", 153]]);
    // The write-off stands: the terminal count says so.
    expect(report.terminal.find((t) => t.state === "writtenOff")!.accounts).toBe(1);
  });

  it("a charge billed after the write-off is still watched: 2026-03's period ends 2029-03-01", async () => {
    const report = await buildReport(ledger(), { asOf: "2026-04-01", policy, limitationWithinDays: 3 * 366 });
    expect(report.limitation.debts.map((d) => [d.accountId, d.chargeId, d.endsOn])).toEqual([
      ["H-1", "c2023-09", "2026-09-01"],
      ["W-1", "c2026-03", "2029-03-01"],
    ]);
  });

  it("once the period has ended, only the charge not written off counts as expired", async () => {
    const report = await buildReport(ledger(), { asOf: "2026-10-01", policy });
    expect(report.limitation.expired).toEqual({ charges: 1, unpaidMinor: 30000 });
  });
});
