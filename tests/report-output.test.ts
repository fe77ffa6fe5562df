/**
 * `report` for an estate manager (issue 19, item 5): one CSV table per section (`--section`,
 * `--out-dir` with a UTF-8 BOM for Excel), rates as percentages, the collection rate by month
 * against a target, stages in ladder order, headings in zh-CN. Every expected number is worked
 * out by hand from the small ledger below.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { targetBasisPoints } from "../src/reports/index.js";

const OWNER = '王小明, "老王"';

/**
 * Report day 2026-03-25, fees of 250.00 (residential) and 1,000.00 (the shop) a month.
 *   R-1 pays 300.00 on 02-10: January's 250.00, then 50.00 of February's (oldest first).
 *   R-2 pays 750.00 on 03-03: January, February and March.
 *   C-1 pays February's 1,000.00 on 02-05; March's is unpaid.
 * By month, paid by 2026-03-25:
 *   2026-01: 2 charges, 500.00 billed, 500.00 paid → 100.00%
 *   2026-02: 3 charges, 1,500.00 billed, 50.00 + 250.00 + 1,000.00 = 1,300.00 paid → 86.666…% → 86.67%
 *   2026-03: 3 charges, 1,500.00 billed, 250.00 paid (R-2) → 16.666…% → 16.67%
 *   2025-04 … 2025-12: nothing billed, no rate.
 * Aging on 03-25: R-1's February 200.00 (52 days: 27 left in February + 25), its March 250.00
 *   (24 days), C-1's March 1,000.00 (24 days); R-1's oldest is in 31-90, C-1's in 0-30.
 * Stages: R-1's last action, the dunning notice of 02-25, with 450.00 overdue; C-1 never actioned.
 */
const ledger = {
  accounts: [
    {
      id: "R-1",
      unit: "3-1201",
      owner: { name: OWNER },
      charges: ["01", "02", "03"].map((m) => ({ id: `r1-${m}`, period: `2026-${m}`, dueOn: `2026-${m}-01`, amountMinor: 25000 })),
      payments: [{ id: "p1", on: "2026-02-10", amountMinor: 30000 }],
      actions: [{ id: "a1", stage: "dunning_notice", on: "2026-02-25" }],
    },
    {
      id: "R-2",
      charges: ["01", "02", "03"].map((m) => ({ id: `r2-${m}`, period: `2026-${m}`, dueOn: `2026-${m}-01`, amountMinor: 25000 })),
      payments: [{ id: "p2", on: "2026-03-03", amountMinor: 75000 }],
    },
    {
      id: "C-1",
      segment: "commercial",
      charges: ["02", "03"].map((m) => ({ id: `c1-${m}`, period: `2026-${m}`, dueOn: `2026-${m}-01`, amountMinor: 100000 })),
      payments: [{ id: "p3", on: "2026-02-05", amountMinor: 100000 }],
    },
  ],
};

let dir = "";
let file = "";
const report = (...args: string[]) => runCli("report", "--ledger", file, "--as-of", "2026-03-25", ...args);
const BOM = "\uFEFF";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pd-report-out-"));
  file = join(dir, "ledger.json");
  await writeFile(file, JSON.stringify(ledger));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("report --format csv --section: one table, one header row", () => {
  it("the collection rate as percentages people read, in English by default", async () => {
    const r = await report("--format", "csv", "--section", "collection");
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toBe(
      ["segment,charges,billed,paid,unpaid,rate", "commercial,1,1000.00,0.00,1000.00,0.00%", "residential,2,500.00,250.00,250.00,50.00%", "total,3,1500.00,250.00,1250.00,16.67%", ""].join("\r\n"),
    );
  });

  it("in zh-CN: headers and row names in Chinese, the numbers the same", async () => {
    const r = await report("--format", "csv", "--section", "collection", "--lang", "zh-CN");
    expect(r.out).toBe(["业态,费用笔数,应收,实收,未收,收缴率", "商业,1,1000.00,0.00,1000.00,0.00%", "住宅,2,500.00,250.00,250.00,50.00%", "合计,3,1500.00,250.00,1250.00,16.67%", ""].join("\r\n"));
    const aging = await report("--format", "csv", "--section", "aging", "--lang", "zh-CN");
    expect(aging.out.split("\r\n")).toEqual(["账龄,费用笔数,户数,金额", "0-30 天,2,1,1250.00", "31-90 天,1,1,200.00", "91-180 天,0,0,0.00", "181-365 天,0,0,0.00", "365天以上,0,0,0.00", ""]);
  });

  it("the months, oldest first, twelve up to the report's; no rate where nothing was billed", async () => {
    const rows = (await report("--format", "csv", "--section", "monthly")).out.split("\r\n");
    expect(rows[0]).toBe("month,charges,billed,paid,unpaid,rate");
    expect(rows.slice(1, 10)).toEqual(["04", "05", "06", "07", "08", "09", "10", "11", "12"].map((m) => `2025-${m},0,0.00,0.00,0.00,`));
    expect(rows.slice(10)).toEqual(["2026-01,2,500.00,500.00,0.00,100.00%", "2026-02,3,1500.00,1300.00,200.00,86.67%", "2026-03,3,1500.00,250.00,1250.00,16.67%", ""]);
  });

  it("stages in the residential ladder's order, then the commercial's, the never actioned last", async () => {
    const rows = (await report("--format", "csv", "--section", "stages")).out.split("\r\n");
    expect(rows[0]).toBe("ladder,stage,kind,accounts,overdue");
    expect(rows.slice(1, 4)).toEqual(["residential · each charge,billing_notice,billing notice,0,0.00", "residential · each charge,dunning_notice,dunning notice,1,450.00", "residential · each charge,final_notice,final notice,0,0.00"]);
    expect(rows.map((r) => r.split(",")[1]).slice(1, -1)).toEqual([
      ...["billing_notice", "dunning_notice", "final_notice", "arrears_3m_billing_notice", "arrears_4m_dunning_notice", "arrears_6m_final_notice", "arrears_12m_lawyer_letter", "limitation_legal_review"],
      ...["billing_notice", "dunning_notice", "second_dunning_notice", "final_notice", "limitation_legal_review"],
      "(never actioned)",
    ]);
    expect(rows.at(-2)).toBe("no action recorded yet,(never actioned),,1,1000.00");
  });

  it("--bom puts a UTF-8 byte order mark first; without it there is none", async () => {
    expect((await report("--format", "csv", "--section", "holds", "--bom")).out.startsWith(`${BOM}hold,count\r\n`)).toBe(true);
    expect((await report("--format", "csv", "--section", "holds")).out.startsWith("hold,count\r\n")).toBe(true);
  });
});

describe("report --out-dir: every section its own CSV file, each with a BOM", () => {
  it("writes one file per section and names them on stdout", async () => {
    const out = join(dir, "out");
    const r = await report("--out-dir", out, "--lang", "zh-CN");
    expect([r.code, r.err]).toEqual([0, ""]);
    const names = ["collection", "monthly", "aging", "stages", "holds", "limitation", "review", "skipped"].map((s) => `${s}.csv`);
    expect((await readdir(out)).sort()).toEqual([...names].sort());
    expect(r.out).toBe(names.map((n) => `${join(out, n)}\n`).join(""));
    const bytes = await readFile(join(out, "collection.csv"));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8").split("\r\n")[3]).toBe("合计,3,1500.00,250.00,1250.00,16.67%");
    // One header row each, whatever the section…
    for (const n of names) {
      const text = (await readFile(join(out, n), "utf8")).slice(1);
      const header = text.split("\r\n")[0]!;
      expect(text.split("\r\n").filter((l) => l === header), n).toHaveLength(1);
      // …and no two columns with the same heading (a spreadsheet's filter names them by it).
      expect(new Set(header.split(",")).size, `${n}: ${header}`).toBe(header.split(",").length);
    }
  });
});

describe("report: the target, the table and JSON", () => {
  it("JSON keeps the exact basis points and the target; table shows percentages", async () => {
    const json = JSON.parse((await report("--format", "json", "--target", "92.5")).out) as { collection: { basisPoints: number }; monthly: { targetBasisPoints: number; months: { month: string; basisPoints: number | null }[] } };
    expect(json.collection.basisPoints).toBe(1667);
    expect(json.monthly.targetBasisPoints).toBe(9250);
    expect(json.monthly.months.slice(-3)).toEqual([
      { month: "2026-01", charges: 2, billedMinor: 50000, paidMinor: 50000, unpaidMinor: 0, basisPoints: 10000 },
      { month: "2026-02", charges: 3, billedMinor: 150000, paidMinor: 130000, unpaidMinor: 20000, basisPoints: 8667 },
      { month: "2026-03", charges: 3, billedMinor: 150000, paidMinor: 25000, unpaidMinor: 125000, basisPoints: 1667 },
    ]);
    const table = (await report()).out;
    expect(table).toContain("Collection rate 2026-03-01 to 2026-03-31: 16.67% (250.00 of 1,500.00)");
    expect(table).not.toMatch(/basis_points|1667/);
    const zh = (await report("--lang", "zh-CN")).out;
    expect(zh).toContain("收缴率 2026-03-01 至 2026-03-31：16.67%（应收 1,500.00，实收 250.00）");
  });

  it("the HTML page in zh-CN says so and shows the owner's name escaped", async () => {
    const r = await report("--format", "html", "--lang", "zh-CN", "--target", "95");
    expect(r.code).toBe(0);
    expect(r.out).toContain('<html lang="zh-CN">');
    expect(r.out).toContain("按月收缴率");
    expect(r.out).toContain('<g class="target" data-bp="9500">');
  });

  it("targetBasisPoints: percent with at most two decimals, from 0 to 100", () => {
    expect([targetBasisPoints(95), targetBasisPoints(92.5), targetBasisPoints(0.01), targetBasisPoints(100)]).toEqual([9500, 9250, 1, 10000]);
    for (const bad of [100.01, -1, 95.555, Number.NaN]) expect(() => targetBasisPoints(bad)).toThrow(expect.objectContaining({ code: "invalid_number" }));
  });

  it.each([
    [["--format", "csv"], /a CSV holds one table: name it with --section/],
    [["--out-dir", "x", "--format", "html"], /--out-dir writes CSV files/],
    [["--format", "csv", "--section", "everything"], /--section: must be collection, monthly/],
    [["--lang", "fr"], /--lang: must be en or zh-CN/],
    [["--target", "101"], /--target: a percentage from 0 to 100/],
    [["--target", "95.555"], /--target: a percentage/],
    [["--bom"], /--bom: for CSV on stdout/],
  ])("%j is a usage error (exit 2)", async (args, message) => {
    const r = await report(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
