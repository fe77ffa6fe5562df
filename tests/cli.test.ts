/** The command line, run in-process: output, JSON shape and exit codes. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const cli = runCli;

const dir = mkdtempSync(join(tmpdir(), "pd-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("property-dunning validate", () => {
  it("exits 0 with a summary for a valid policy", async () => {
    const r = await cli("validate", "policies/residential.json");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/valid — residential 2026\.2, 8 stages, Asia\/Shanghai, CNY/);
  });

  it("exits 1 with every problem and its path", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        extends: "residential",
        id: "bad",
        version: "1",
        stages: [
          { id: "dunning_notice", trigger: { type: "billingMonthDay", monthOffset: 0, day: 32 } },
          { id: "final_notice", channels: ["fax"] },
        ],
      }),
    );
    const r = await cli("validate", file);
    expect(r.code).toBe(1);
    expect(r.err).toContain("stages[0].trigger.day: must be 1–31 (got 32)");
    expect(r.err).toMatch(/stages\[1\]\.channels\[0\]: must be one of .*\(got "fax"\)/);
  });

  it("#14.19 names a number too large for a double by its own digits (1e400), in a file and through --policy", async () => {
    const file = join(dir, "huge.json");
    // JSON.parse reads 1e400 as Infinity, which JSON.stringify prints as null: the report must not say "(got null)".
    writeFileSync(file, '{"extends":"residential","id":"huge","version":"1","lateFee":{"dailyRateBasisPoints":1e400}}');
    const v = await cli("validate", file);
    expect(v.code).toBe(1);
    expect(v.err).toContain("lateFee.dailyRateBasisPoints: must be a finite number; a number this large cannot be represented (got 1e400)");
    const p = await cli("plan", "--ledger", "examples/ledger.json", "--as-of", "2026-04-25", "--policy", file);
    expect(p.code).toBe(1);
    expect(p.err).toContain("(got 1e400)");
  });

  it("exits 2 on usage errors", async () => {
    expect((await cli("validate")).code).toBe(2);
    expect((await cli("frobnicate")).code).toBe(2);
    expect((await cli("plan", "--ledger", "examples/ledger.json", "--as-of", "2026-02-30")).code).toBe(2);
    // each message names its command once
    for (const [args, message] of [
      [["plan"], "property-dunning: plan: --ledger is required\n"],
      [["explain", "--ledger", "examples/ledger.json"], "property-dunning: explain: --ledger and --account are required\n"],
      [["record", "--ledger", "examples/ledger.json"], "property-dunning: record: --ledger and --actions are required\n"],
      [["report"], "property-dunning: report: --ledger is required\n"],
      [["timeline", "--policy", "residential"], "property-dunning: timeline: --out is required\n"],
      [["plan", "--ledger", ""], "property-dunning: plan: --ledger is required\n"],
      [["timeline", "--out", "x.png"], "property-dunning: timeline: --out must end in .html or .svg (got \"x.png\")\n"],
      [["timeline", "--account", "A-1201", "--out", "x.svg"], "property-dunning: timeline: --ledger and --account go together\n"],
    ] as const)
      expect(await cli(...args)).toMatchObject({ code: 2, err: expect.stringContaining(message) });
  });
});

describe("property-dunning plan", () => {
  it("prints the due actions as JSON with the documented fields", async () => {
    const r = await cli("plan", "--ledger", "examples/ledger.json", "--as-of", "2026-04-25", "--format", "json");
    expect(r.code).toBe(0);
    const actions = JSON.parse(r.out);
    const byAccount = Object.fromEntries(actions.map((a: any) => [a.accountId, a]));
    // A-1201 owes March and April: the March final notice covers April's dunning notice
    expect(byAccount["A-1201"]).toMatchObject({
      id: "A-1201:final_notice@2026-03",
      stage: "final_notice",
      kind: "finalNotice",
      channels: ["doorPosting", "sms"],
      dueOn: "2026-04-25",
      overdueMinor: 60000,
      deadlineOn: "2026-05-11", // 05-10 is a Sunday (Civil Code art. 203)
    });
    expect(byAccount["A-1201"].because.summary).toMatch(/day 25 of the month after the billing month/);
    // A-0302 (elderly) paid March; April's notices go by home visit, which waits for a working day
    expect(byAccount["A-0302"]).toBeUndefined(); // 2026-04-25 is a Saturday
    const monday = JSON.parse((await cli("plan", "--ledger", "examples/ledger.json", "--as-of", "2026-04-27", "--format", "json")).out);
    expect(monday.find((a: any) => a.accountId === "A-0302")).toMatchObject({
      kind: "dunningNotice",
      channels: ["homeVisit", "sms"],
      overdueMinor: 21500,
      offers: ["homeCollection", "installmentPlan"],
      window: { from: "2026-04-27T09:00:00+08:00", to: "2026-04-27T20:00:00+08:00" },
    });
    // the shop has nothing recorded: its first warning comes first (catch-up), covering the bills
    expect(byAccount["C-015"]).toMatchObject({ kind: "dunningNotice", channels: ["handDelivery", "sms"], overdueMinor: 760000 });
    expect(byAccount["C-015"].covers.map((c: any) => c.key).sort()).toEqual([
      "billing_notice@2026-03",
      "billing_notice@2026-04",
      "dunning_notice@2026-03",
      "dunning_notice@2026-04",
    ]);
    for (const a of actions) for (const key of ["id", "accountId", "stage", "kind", "channels", "dueOn", "overdueMinor", "because"]) expect(a).toHaveProperty(key);
  });

  it("reports a malformed account on stderr by id and field, plans the rest, exits 3", async () => {
    const file = join(dir, "ledger.json");
    writeFileSync(
      file,
      JSON.stringify({
        accounts: [
          { id: "good", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] },
          { id: "bad", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-32", amountMinor: 30000 }] },
        ],
      }),
    );
    const r = await cli("plan", "--ledger", file, "--as-of", "2026-03-25", "--format", "json");
    expect(r.code).toBe(3);
    expect(r.err).toContain('bad: charges[0].dueOn: must be a date YYYY-MM-DD (got "2026-03-32")');
    expect(JSON.parse(r.out).map((a: any) => a.accountId)).toEqual(["good"]);
  });

  it("gives the actions in the read order (no owners here, so by account id in code points, as every adapter streams)", async () => {
    const file = join(dir, "ledger-astral.json");
    // U+FF01 sorts before U+1F600 by code point, after it by UTF-16 code unit (a surrogate pair).
    const ids = ["A-\uff01", "A-\u{1f600}", "B-1"];
    const charges = [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }];
    writeFileSync(file, JSON.stringify({ accounts: [...ids].reverse().map((id) => ({ id, charges })) }));
    const order = async (...extra: string[]) => JSON.parse((await cli("plan", "--ledger", file, "--as-of", "2026-03-25", "--format", "json", ...extra)).out).map((a: any) => a.accountId);
    expect(await order()).toEqual(ids);
  }, 60_000);

  it("--workers, removed, is a usage error that says where planning on several processes went", async () => {
    const r = await cli("plan", "--ledger", join(dir, "ledger-astral.json"), "--as-of", "2026-03-25", "--workers", "2");
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown option --workers (removed: planning on threads did not pay");
    expect(r.err).toContain("docs/scale-out.md");
  });

  it("prints a table by default", async () => {
    const r = await cli("plan", "--ledger", "examples/ledger.json", "--as-of", "2026-04-25");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/A-1201\s+final_notice\s+finalNotice\s+doorPosting\+sms\s+2026-04-25\s+600\.00\s+2026-05-11/);
  });

  it("exits 1 for an invalid --policy file", async () => {
    const file = join(dir, "p.json");
    writeFileSync(file, JSON.stringify({ extends: "residential", id: "P", version: "1" }));
    const r = await cli("plan", "--ledger", "examples/ledger.json", "--policy", file, "--as-of", "2026-04-25");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/id: must be lower case/);
  });
});

describe("property-dunning explain", () => {
  it("shows the account's forecast stage by stage with reasons", async () => {
    const r = await cli("explain", "--ledger", "examples/ledger.json", "--account", "A-1201", "--as-of", "2026-04-25", "--to", "2027-06-30");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Account A-1201, policy residential, as of 2026-04-25");
    const lines = r.out.split("\n");
    const order = ["final_notice", "arrears_3m_billing_notice", "arrears_4m_dunning_notice", "arrears_6m_final_notice", "arrears_12m_lawyer_letter"];
    const at = order.map((stage) => lines.findIndex((l) => new RegExp(`^\\d{4}-\\d{2}-\\d{2}\\s+${stage}\\s`).test(l)));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(r.out).toMatch(/2027-03-01\s+arrears_12m_lawyer_letter\s+lawyerLetter \(review\)/);
  });

  it("says when the account is not in the ledger", async () => {
    const r = await cli("explain", "--ledger", "examples/ledger.json", "--account", "nobody", "--as-of", "2026-04-25");
    expect(r.code).toBe(1);
    expect(r.err).toContain("account nobody not found");
  });
});

describe("property-dunning verify", () => {
  it("passes the residential built-in and exits 0", async () => {
    const r = await cli("verify", "residential", "--runs", "10", "--seed", "7");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/paid-means-quiet\s+pass/);
  }, 60_000);

  it("catches the deliberately unfair example, shows the counterexample and exits 1", async () => {
    const r = await cli("verify", "examples/unfair-policy.json", "--runs", "20", "--seed", "1");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/escalation\s+FAIL/);
    expect(r.out).toMatch(/privacy\s+pass/);
    expect(r.out).toContain("final_notice (finalNotice) on 2024-01-02 for charge c0 (due 2024-01-01) without any lighter warning before it");
  }, 60_000);

  it("rejects a run count that is not a number", async () => {
    expect((await cli("verify", "residential", "--runs", "many")).code).toBe(2);
  });
});

describe("property-dunning report", () => {
  it("prints the collection rate, aging and holds; csv on request", async () => {
    const r = await cli("report", "--ledger", "examples/ledger.json", "--as-of", "2026-04-27");
    expect(r.code).toBe(0);
    // April: 300.00 + 215.00 + 4,800.00 billed, nothing of April paid (the shop's 2,000.00 paid March first)
    expect(r.out).toMatch(/Collection rate 2026-04-01 to 2026-04-30: 0\.00% \(0\.00 of 5,315\.00\)/);
    const csv = await cli("report", "--ledger", "examples/ledger.json", "--as-of", "2026-04-27", "--format", "csv", "--section", "collection");
    expect(csv.code).toBe(0);
    expect(csv.out.split("\r\n")[0]).toBe("segment,charges,billed,paid,unpaid,rate");
    // A CSV is one table: without --section or --out-dir, a usage error.
    expect((await cli("report", "--ledger", "examples/ledger.json", "--format", "csv")).code).toBe(2);
    expect((await cli("plan", "--ledger", "examples/ledger.json", "--format", "csv")).code).toBe(2);
  });
});

describe("property-dunning timeline", () => {
  it("draws one account's recorded actions and its forecast from the ledger", async () => {
    const out = join(dir, "A-1201.svg");
    const r = await cli("timeline", "--ledger", "examples/ledger.json", "--account", "A-1201", "--as-of", "2026-04-25", "--out", out);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`timeline written to ${out}`);
    const svg = readFileSync(out, "utf8");
    // examples/ledger.json records March's billing and dunning notices and April's bill for A-1201
    for (const [stage, kind, on] of [["billing_notice", "billingNotice", "2026-03-01"], ["dunning_notice", "dunningNotice", "2026-03-25"], ["billing_notice", "billingNotice", "2026-04-01"]])
      expect(svg).toContain(`<g class="done" data-stage="${stage}" data-kind="${kind}" data-on="${on}">`);
    expect(svg).toContain('<g class="action" data-stage="final_notice" data-kind="finalNotice" data-on="2026-04-25">');
    expect(svg).toContain(">as of 2026-04-25<");
  });

  it("forecasts an account under the built-in of its segment unless --policy says otherwise", async () => {
    const out = join(dir, "C-015.html");
    expect((await cli("timeline", "--ledger", "examples/ledger.json", "--account", "C-015", "--as-of", "2026-04-25", "--out", out)).code).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/under commercial/);
    // #14.3: a policy covers the segment it declares; the shop's own is given as commercial=<file>.
    const shops = join(dir, "shops.json");
    writeFileSync(shops, JSON.stringify({ extends: "commercial", id: "shop-street", version: "1" }));
    expect((await cli("timeline", "--ledger", "examples/ledger.json", "--account", "C-015", "--policy", `commercial=${shops}`, "--as-of", "2026-04-25", "--out", out)).code).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/under shop-street/);
    const residential = await cli("timeline", "--ledger", "examples/ledger.json", "--account", "C-015", "--policy", "residential", "--as-of", "2026-04-25", "--out", out);
    expect(residential.code).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/under commercial/);
    expect(residential.err).toContain("--policy residential is written for residential units; commercial accounts follow the built-in commercial policy");
  });

  it("says which account is missing, and rejects an output it cannot write", async () => {
    expect(await cli("timeline", "--ledger", "examples/ledger.json", "--account", "nobody", "--out", join(dir, "x.svg"))).toMatchObject({ code: 1, err: expect.stringContaining("account nobody not found") });
    expect((await cli("timeline", "--policy", "residential", "--out", join(dir, "x.png"))).code).toBe(2);
    expect((await cli("timeline", "--account", "A-1201", "--out", join(dir, "x.svg"))).code).toBe(2);
    // a directory that is a file: the message says the output could not be written, not read
    const blocked = join(dir, "a-file");
    writeFileSync(blocked, "");
    expect(await cli("timeline", "--policy", "residential", "--out", join(blocked, "x.svg"))).toMatchObject({ code: 2, err: expect.stringContaining(`timeline: cannot write ${join(blocked, "x.svg")}: `) });
    expect(await cli("plan", "--ledger", "examples/ledger.json", "--as-of", "2026-04-25", "--out", join(blocked, "a.json"))).toMatchObject({ code: 2, err: expect.stringContaining("plan: cannot write") });
  });
});
