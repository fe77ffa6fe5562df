/**
 * Policies given together count money in one currency. Amounts are integer minor units of their
 * policy's currency (DOMAIN.md: money is integer minor units): 300.00 CNY of a mainland flat and
 * 500.00 HKD of a Hong Kong shop are not 800.00 of anything, yet a report (and `plan`'s summary)
 * adds them. So policies whose `currency` differs are refused when they are given together: the
 * library's `buildReport` with `mixed_currency` (code, path, message), the command line where it
 * reads `--policy`, as a usage error (exit 2: each file is valid; the combination of arguments is
 * not, like a segment given twice).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { buildReport } from "../src/reports/report.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { isInvalidArgumentError } from "../src/rules/errors.js";
import { parsePolicy } from "../src/rules/parse.js";
import { runCli } from "./helpers.js";

const AS_OF = "2026-04-01";
const HK_SHOPS = { extends: "commercial", id: "hk-shops", version: "1", timeZone: "Asia/Hong_Kong", currency: { code: "HKD", minorDigits: 2 } };
const residential = parsePolicy(builtinPolicySource("residential"));
const commercial = parsePolicy(builtinPolicySource("commercial"));
const hkShops = parsePolicy(HK_SHOPS);
const ACCOUNTS: AccountSnapshot[] = [
  { id: "F-1", estate: "east-lake", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] },
  { id: "S-1", estate: "hk-bay", segment: "commercial", charges: [{ id: "c2", period: "2026-03", dueOn: "2026-03-01", amountMinor: 50000 }] },
];

async function refusal(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("buildReport refuses policies in different currencies", () => {
  it("per segment: CNY flats and HKD shops, refused at the shops' policy", async () => {
    const error = await refusal(() => buildReport(memoryLedger(ACCOUNTS), { asOf: AS_OF, policy: { residential, commercial: hkShops } }));
    expect(isInvalidArgumentError(error)).toBe(true);
    expect(error).toMatchObject({ code: "mixed_currency", path: "policy.commercial.currency" });
    expect((error as Error).message).toMatch(/hk-shops counts money in HKD.*policy\.residential \(residential\) counts CNY/);
  });

  it("per estate: the Hong Kong estate's shops in HKD beside the mainland fallback, refused at the estate's policy", async () => {
    const error = await refusal(() => buildReport(memoryLedger(ACCOUNTS), { asOf: AS_OF, policy: { residential }, estates: { "hk-bay": { commercial: hkShops } } }));
    expect(error).toMatchObject({ code: "mixed_currency", path: 'estates["hk-bay"].commercial.currency' });
  });

  it("one currency throughout is accepted: 300.00 + 500.00 CNY overdue is 800.00 CNY", async () => {
    const report = await buildReport(memoryLedger(ACCOUNTS), { asOf: AS_OF, policy: { residential }, estates: { "hk-bay": { commercial } } });
    expect(report.currency).toEqual({ code: "CNY", minorDigits: 2 });
    expect(report.accounts.overdueMinor).toBe(80000);
  });
});

describe("a segment no given policy covers follows its built-in, in CNY", () => {
  const hkHomes = parsePolicy({ ...HK_SHOPS, extends: "residential", id: "hk-homes" });
  it("its accounts are skipped with mixed_currency, never summed into the HKD report", async () => {
    const report = await buildReport(memoryLedger(ACCOUNTS), { asOf: AS_OF, policy: { residential: hkHomes } });
    expect(report.currency).toEqual({ code: "HKD", minorDigits: 2 });
    expect(report.skipped.map((s) => [s.accountId, s.issues.map((i) => `${i.code} ${i.path}`)])).toEqual([["S-1", ["mixed_currency segment"]]]);
    expect(report.accounts.overdueMinor).toBe(30000); // F-1 alone
  });
});

describe("the command line refuses them where it reads --policy: a usage error, exit 2", () => {
  let dir: string;
  let ledger: string;
  let hk: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pd-report-currency-"));
    ledger = join(dir, "ledger.json");
    hk = join(dir, "hk-shops.json");
    await writeFile(ledger, JSON.stringify({ accounts: ACCOUNTS }));
    await writeFile(hk, JSON.stringify(HK_SHOPS));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("report with a policy per segment: nothing on stdout, both --policy values named on stderr", async () => {
    const r = await runCli("report", "--ledger", ledger, "--as-of", AS_OF, "--policy", "residential=residential", "--policy", `commercial=${hk}`);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(`different currencies (mixed_currency): --policy commercial=${hk} in HKD, --policy residential=residential in CNY`);
  });

  it("report with one policy, for the flats, in HKD: the shops (built-in, CNY) are skipped and named, exit 3", async () => {
    const homes = join(dir, "hk-homes.json");
    await writeFile(homes, JSON.stringify({ ...HK_SHOPS, extends: "residential", id: "hk-homes" }));
    const r = await runCli("report", "--ledger", ledger, "--as-of", AS_OF, "--policy", `residential=${homes}`, "--format", "json");
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/S-1.*segment: a commercial unit follows policy commercial in CNY, and the report counts HKD/);
    expect((JSON.parse(r.out) as { accounts: { overdueMinor: number } }).accounts.overdueMinor).toBe(30000);
  });

  it("report and plan with a policy per estate", async () => {
    for (const command of ["report", "plan"]) {
      const r = await runCli(command, "--ledger", ledger, "--as-of", AS_OF, "--policy", "residential", "--policy", `hk-bay/commercial=${hk}`);
      expect([command, r.code, r.out]).toEqual([command, 2, ""]);
      expect(r.err).toContain(`--policy hk-bay/commercial=${hk} in HKD, --policy residential in CNY`);
    }
  });

  it("plan's table with one policy for the flats, in HKD: the shops follow the built-in in CNY, and the summary never adds the two", async () => {
    const homes = join(dir, "hk-homes.json");
    await writeFile(homes, JSON.stringify({ ...HK_SHOPS, extends: "residential", id: "hk-homes" }));
    // 2026-03-25: each account's March charge is overdue, each gets its dunning notice (S2: day 25 of the billing month).
    const r = await runCli("plan", "--ledger", ledger, "--as-of", "2026-03-25", "--policy", `residential=${homes}`);
    expect(r.code, r.err).toBe(0);
    const total = r.out.split("\n").find((l) => l.startsWith("total"));
    expect(total).toMatch(/^total\s+2\s+300\.00 HKD; 500\.00 CNY$/);
  });

  it("plan's and explain's tables read each amount with its currency's digits: 1,500 yen is 1,500, not 15.00", async () => {
    const yen = join(dir, "jp-homes.json");
    await writeFile(yen, JSON.stringify({ extends: "residential", id: "jp-homes", version: "1", timeZone: "Asia/Tokyo", currency: { code: "JPY", minorDigits: 0 } }));
    const flats = join(dir, "flats.json");
    await writeFile(flats, JSON.stringify({ accounts: [{ id: "J-1", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 1500 }] }] }));
    const r = await runCli("plan", "--ledger", flats, "--as-of", "2026-03-25", "--policy", yen);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^J-1\s+dunning_notice\s.*\s1,500\s*$/m);
    expect(r.out).toMatch(/^total\s+1\s+1,500$/m);
    const explained = await runCli("explain", "--ledger", flats, "--account", "J-1", "--as-of", "2026-03-25", "--policy", yen);
    expect(explained.code, explained.err).toBe(0);
    // The forecast's rows state the overdue 1,500 yen, never "15.00".
    expect(explained.out).toMatch(/\s1,500\s/);
    expect(explained.out).not.toContain("15.00");
  });
});
