import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryLedger } from "../adapters/memory.js";
import { reportCommand } from "../cli/report.js";
import type { AccountSnapshot } from "../ledger/account.js";
import { parsePolicy } from "../rules/parse.js";
import { basisPoints, buildReport, csvField, formatReport } from "./index.js";
import type { SectionName } from "./sections.js";

const AS_OF = "2026-01-15";
const OWNER = 'Wang, "Lao" Er';

/**
 * Hand-built ledger, report day 2026-01-15, period January 2026.
 *
 * Billed in January: A a-jan 300.00 (unpaid), B b-jan 300.00 (paid), C c-jan 300.00 (paid early)
 *   → 900.00 billed, 600.00 paid → 6666.67 bp → 6667.
 * Overdue on 2026-01-15:
 *   A a-old  due 2023-06-01 100.00 → 959 days (over 365); limitation ends 2026-06-01 → 137 days left
 *   A a-jan  due 2026-01-05 300.00 → 10 days (0-30)
 *   D d-old  due 2024-12-11 150.00, 100.00 paid oldest first → 50.00 unpaid, 400 days (over 365)
 *   D d-dec  due 2025-12-01 200.00 → 45 days (31-90)
 *   F f-old  due 2022-06-01  80.00 → over 365; its limitation date passed in 2025 (expired)
 */
function accounts(): AccountSnapshot[] {
  return [
    {
      id: "A",
      unit: "1-101",
      owner: { name: OWNER },
      charges: [
        { id: "a-jan", period: "2026-01", dueOn: "2026-01-05", amountMinor: 30000 },
        { id: "a-old", period: "2023-06", dueOn: "2023-06-01", amountMinor: 10000 },
      ],
      // After the report day: ignored.
      payments: [{ id: "pa", on: "2026-01-20", amountMinor: 5000 }],
      actions: [
        { id: "x1", stage: "dunning_notice", on: "2025-12-20" },
        { id: "x2", stage: "final_notice", on: "2026-01-20" },
      ],
      holds: [{ type: "dispute", id: "d1", openedOn: "2025-12-28", severity: "major" }],
    },
    {
      id: "B",
      segment: "commercial",
      charges: [{ id: "b-jan", period: "2026-01", dueOn: "2026-01-10", amountMinor: 30000 }],
      payments: [{ id: "pb", on: "2026-01-09", amountMinor: 30000 }],
    },
    {
      id: "C",
      charges: [{ id: "c-jan", period: "2026-01", dueOn: "2026-01-01", amountMinor: 30000 }],
      payments: [{ id: "pc", on: "2025-12-30", amountMinor: 30000 }],
      holds: [
        { type: "dispute", id: "d2", openedOn: "2025-11-01", severity: "minor", resolvedOn: "2025-11-05" },
        { type: "manual", id: "m1", from: "2026-01-01", scope: "legal", reason: "owner in hospital" },
      ],
    },
    {
      id: "D",
      charges: [
        { id: "d-old", period: "2024-12", dueOn: "2024-12-11", amountMinor: 15000 },
        { id: "d-dec", period: "2025-12", dueOn: "2025-12-01", amountMinor: 20000 },
      ],
      payments: [{ id: "pd", on: "2026-01-12", amountMinor: 10000 }],
      holds: [
        { type: "installmentPlan", id: "p1", agreedOn: "2026-01-02", charges: ["d-old", "d-dec"], instalments: [{ dueOn: "2026-02-01", amountMinor: 25000 }] },
        { type: "promiseToPay", id: "pp1", madeOn: "2026-01-10", promisedOn: "2026-01-20" },
      ],
    },
    {
      id: "E",
      charges: [{ id: "e1", period: "2026-13", dueOn: "2026-01-01", amountMinor: 100 }],
    },
    {
      id: "F",
      segment: "commercial",
      charges: [{ id: "f-old", period: "2022-06", dueOn: "2022-06-01", amountMinor: 8000 }],
    },
  ];
}

describe("buildReport", async () => {
  const report = await buildReport(memoryLedger(accounts()), { asOf: AS_OF });

  it("computes the collection rate of the month of asOf, payments oldest due first", () => {
    expect(report.period).toEqual({ from: "2026-01-01", to: "2026-01-31" });
    expect(report.collection).toMatchObject({ charges: 3, billedMinor: 90000, paidMinor: 60000, unpaidMinor: 30000, basisPoints: 6667 });
    expect(report.collection.rate).toBeCloseTo(2 / 3, 12);
    expect(report.collection.bySegment).toEqual([
      { segment: "commercial", charges: 1, billedMinor: 30000, paidMinor: 30000, unpaidMinor: 0, rate: 1, basisPoints: 10000 },
      { segment: "residential", charges: 2, billedMinor: 60000, paidMinor: 30000, unpaidMinor: 30000, rate: 0.5, basisPoints: 5000 },
    ]);
  });

  it("takes any period: D's payment went to its older charge, so Q4 2025 collected nothing", async () => {
    const q4 = await buildReport(memoryLedger(accounts()), { asOf: AS_OF, period: { from: "2025-10-01", to: "2025-12-31" } });
    expect(q4.collection).toMatchObject({ charges: 1, billedMinor: 20000, paidMinor: 0, basisPoints: 0 });
    const empty = await buildReport(memoryLedger(accounts()), { asOf: AS_OF, period: { from: "2020-01-01", to: "2020-03-31" } });
    expect(empty.collection).toMatchObject({ charges: 0, billedMinor: 0, rate: null, basisPoints: null });
  });

  it("puts each unpaid overdue charge in its aging bucket, each account in its oldest's", () => {
    expect(report.aging).toEqual([
      { label: "0-30", minDays: 0, maxDays: 30, charges: 1, accounts: 0, amountMinor: 30000 },
      { label: "31-90", minDays: 31, maxDays: 90, charges: 1, accounts: 0, amountMinor: 20000 },
      { label: "91-180", minDays: 91, maxDays: 180, charges: 0, accounts: 0, amountMinor: 0 },
      { label: "181-365", minDays: 181, maxDays: 365, charges: 0, accounts: 0, amountMinor: 0 },
      { label: "over 365", minDays: 366, maxDays: null, charges: 3, accounts: 3, amountMinor: 10000 + 5000 + 8000 },
    ]);
    expect(report.accounts).toEqual({ read: 6, reported: 5, skipped: 1, withOverdue: 3, overdueMinor: 40000 + 25000 + 8000 });
  });

  it("counts accounts in arrears by their last recorded stage up to asOf, and the never actioned", () => {
    // In each segment's ladder order (policies/residential.json and commercial.json list their
    // stages so), every stage shown: only A (residential) stands somewhere, at its dunning notice
    // of 2025-12-20 (its final notice of 2026-01-20 comes after the report day).
    const row = (segment: string, stage: string, ladder: string, accounts = 0, overdueMinor = 0) => ({ segment, stage, ladder, accounts, overdueMinor });
    expect(report.stages.map(({ kind: _kind, ...r }) => r)).toEqual([
      row("residential", "billing_notice", "charge"),
      row("residential", "dunning_notice", "charge", 1, 40000),
      row("residential", "final_notice", "charge"),
      row("residential", "arrears_3m_billing_notice", "arrears"),
      row("residential", "arrears_4m_dunning_notice", "arrears"),
      row("residential", "arrears_6m_final_notice", "arrears"),
      row("residential", "arrears_12m_lawyer_letter", "arrears"),
      row("residential", "limitation_legal_review", "limitation"),
      row("commercial", "billing_notice", "charge"),
      row("commercial", "dunning_notice", "charge"),
      row("commercial", "second_dunning_notice", "charge"),
      row("commercial", "final_notice", "charge"),
      row("commercial", "limitation_legal_review", "limitation"),
    ]);
    expect(report.stages[1]!.kind).toBe("dunningNotice");
    expect(report.neverActioned).toEqual({ accounts: 2, overdueMinor: 25000 + 8000 });
  });

  it("counts the holds in force", () => {
    expect(report.holds).toEqual({
      accounts: 3,
      overdueMinor: 40000 + 25000,
      disputes: { major: 1, important: 0, minor: 0 },
      installmentPlans: 1,
      promises: 1,
      manual: 1,
    });
  });

  it("lists debts near their limitation date and counts expired ones", () => {
    expect(report.limitation.withinDays).toBe(180);
    expect(report.limitation.debts).toEqual([
      { accountId: "A", unit: "1-101", ownerName: OWNER, chargeId: "a-old", dueOn: "2023-06-01", endsOn: "2026-06-01", daysLeft: 137, unpaidMinor: 10000 },
    ]);
    expect(report.limitation.expired).toEqual({ charges: 1, unpaidMinor: 8000 });
  });

  it("lists skipped accounts by id and reason", () => {
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]).toMatchObject({ accountId: "E", reason: expect.stringContaining("charges[0].period") });
  });

  it("is not fooled by a bad ledger row", async () => {
    const r = await buildReport(memoryLedger([42 as unknown as AccountSnapshot, ...accounts().slice(0, 1)]), { asOf: AS_OF, limitationWithinDays: 100 });
    expect(r.skipped).toEqual([{ accountId: "accounts[0]", issues: [{ code: "invalid_type", path: "", message: "must be an object (got number)" }], reason: "accounts[0]: must be an object (got number)" }]);
    expect(r.limitation.debts).toEqual([]); // 137 days left > 100
  });

  it("rejects a bad date or period", async () => {
    await expect(buildReport(memoryLedger([]), { asOf: "2026-02-30" })).rejects.toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_date" }));
    await expect(buildReport(memoryLedger([]), { asOf: AS_OF, period: { from: "2026-02-01", to: "2026-01-01" } })).rejects.toThrow(/before/);
    await expect(buildReport(memoryLedger([]), { asOf: AS_OF, period: { from: "2026-02-01", to: "2026-01-01" } })).rejects.toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_range", path: "period.to" }));
    await expect(buildReport(memoryLedger([]), { asOf: AS_OF, limitationWithinDays: -1 })).rejects.toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "limitationWithinDays" }));
  });
});

describe("buildReport: a sued charge is not listed as expiring (Civil Code art. 195(3))", () => {
  // Two owners, each a charge due 2023-09-01: its period ends 2026-09-01 (art. 188, 201), 153 days
  // after 2026-04-01 (29 + 31 + 30 + 31 + 31 + 1). S's estate filed suit on 2026-02-25, which
  // interrupts the period: it ends no earlier than 2029-02-26, far outside 180 days.
  const policy = parsePolicy(JSON.parse(readFileSync(new URL("../../examples/recipes/end-of-the-road.json", import.meta.url), "utf8")));
  const charge = (id: string) => [{ id, period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }];
  const ledger = () =>
    memoryLedger([
      { id: "S", charges: charge("s1"), actions: [{ id: "S:legal_action@s1", stage: "legal_action", on: "2026-02-25", covers: ["legal_action@s1"] }] },
      { id: "N", charges: charge("n1") },
    ]);

  it("lists only the charge nobody sued for", async () => {
    const r = await buildReport(ledger(), { asOf: "2026-04-01", policy: { residential: policy } });
    expect(r.limitation.debts.map((d) => [d.chargeId, d.endsOn, d.daysLeft])).toEqual([["n1", "2026-09-01", 153]]);
  });
});

describe("basisPoints", () => {
  it("rounds half up, exactly", () => {
    expect(basisPoints(60000, 90000)).toBe(6667);
    expect(basisPoints(1, 3)).toBe(3333);
    expect(basisPoints(1, 20000)).toBe(1); // 0.5 bp → 1
    expect(basisPoints(0, 0)).toBeNull();
    expect(basisPoints(Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER)).toBe(10000);
  });
});

describe("formatReport", async () => {
  const report = await buildReport(memoryLedger(accounts()), { asOf: AS_OF });

  it("quotes CSV fields per RFC 4180", () => {
    expect(csvField('Wang, "Lao" Er')).toBe('"Wang, ""Lao"" Er"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
  });

  it("writes each section as one CSV table with one header row; rates as percentages", () => {
    const csv = (section: SectionName) => formatReport(report, "csv", { section });
    expect(csv("collection")).toBe(
      // commercial: B's 300.00 paid; residential: A's 300.00 unpaid, C's paid; total 600.00 of 900.00 = 66.67%.
      "segment,charges,billed,paid,unpaid,rate\r\ncommercial,1,300.00,300.00,0.00,100.00%\r\nresidential,2,600.00,300.00,300.00,50.00%\r\ntotal,3,900.00,600.00,300.00,66.67%\r\n",
    );
    expect(csv("limitation")).toBe('account,unit,owner,charge,due,ends,days_left,unpaid\r\nA,1-101,"Wang, ""Lao"" Er",a-old,2023-06-01,2026-06-01,137,100.00\r\n');
    expect(csv("aging").split("\r\n")).toEqual(["bucket,charges,accounts,amount", "0-30 days,1,0,300.00", "31-90 days,1,0,200.00", "91-180 days,0,0,0.00", "181-365 days,0,0,0.00", "over 365,3,3,230.00", ""]);
    expect(csv("review").split("\r\n")[0]).toBe("account,action,stage,on,hold,hold_type,hold_from,hold_to,hold_recorded,reason");
    expect(csv("skipped").split("\r\n")[0]).toBe("account,reason");
    expect(() => formatReport(report, "csv")).toThrow(expect.objectContaining({ code: "invalid_option", path: "section" }));
    expect(() => csv("terminal")).toThrow(/no policy used names a terminal stage/);
  });
  it("writes JSON that reads back as the report", () => {
    expect(JSON.parse(formatReport(report, "json"))).toEqual(report);
  });

  it("writes tables", () => {
    const text = formatReport(report, "table");
    expect(text).toContain("Collection rate 2026-01-01 to 2026-01-31: 66.67% (600.00 of 900.00)");
    expect(text).toContain(OWNER);
    expect(text).toMatch(/dunning_notice\s+dunning notice\s+1\s+400\.00/);
    expect(text).toContain("Skipped accounts");
  });
});

describe("reportCommand", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("reports a JSON ledger, lists skipped accounts on stderr, and exits 3", async () => {
    const dir = await mkdtemp(join(tmpdir(), "report-"));
    dirs.push(dir);
    const file = join(dir, "ledger.json");
    await writeFile(file, JSON.stringify({ accounts: accounts() }));
    const out: string[] = [];
    const err: string[] = [];
    const code = await reportCommand({ ledger: file, asOf: AS_OF, format: "json" }, { out: (s) => out.push(s), err: (s) => err.push(s) });
    expect(code).toBe(3);
    expect(JSON.parse(out.join("")).collection.basisPoints).toBe(6667);
    expect(err.join("")).toMatch(/^skipped E: charges\[0\]\.period/);
  });

  it("exits 0 when nothing is skipped", async () => {
    const dir = await mkdtemp(join(tmpdir(), "report-"));
    dirs.push(dir);
    const file = join(dir, "ledger.json");
    await writeFile(file, JSON.stringify({ accounts: accounts().filter((a) => a.id !== "E") }));
    const out: string[] = [];
    const code = await reportCommand({ ledger: file, asOf: AS_OF, format: "csv", section: "collection" }, { out: (s) => out.push(s), err: () => undefined });
    expect(code).toBe(0);
    expect(out.join("")).toContain("total,3,900.00,600.00,300.00,66.67%\r\n");
  });
});
