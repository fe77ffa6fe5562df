/**
 * What remains after the principal (issue 18, item 5). Expected amounts are worked out by hand
 * from the built-in late-fee clause (policies/residential.json: 0.05% of the unpaid principal per
 * day from the day after the due date, Civil Code art. 201; a payment on day D lowers the principal
 * from D on; the charge's fee rounded half up once, on its exact total; at most 30% of the charge)
 * and from the payment orders of Civil Code art. 560–561 (DOMAIN.md, "Constraints from law").
 *
 * The account of every test: one charge of 300.00 due 2026-03-01, paid 300.00 on 2026-04-01.
 * Days late before the payment: 03-02..03-31 = 30 days; 300.00 × 0.05% = 0.15 a day, so the fee
 * accrued before the payment is 30 × 0.15 = 4.50.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { builtinPolicySource, computeLateFees, createScheduler, parsePolicy, plan, safeParsePolicy, type AccountSnapshot, type LedgerAdapter, type Policy } from "../src/index.js";
import { residualFee } from "../src/testing/check-residual-fee.js";
import { itOnSqlLedgers, runCli } from "./helpers.js";

// The scheduler's residual steps, replaced per test: "real", or one of two mutants (the kit must catch both).
const rule = vi.hoisted(() => ({ mode: "real" as "real" | "early" | "noWaiver" }));
vi.mock("../src/schedule/ladder/residual-fee.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/schedule/ladder/residual-fee.js")>();
  return {
    ...real,
    residualFeeCandidates: (...args: Parameters<typeof real.residualFeeCandidates>) => {
      const [compiled, account, asOf, ...rest] = args;
      // Planned as if it were ten days later: every step ten days early.
      if (rule.mode === "early") return real.residualFeeCandidates(compiled, account, asOf + 10, ...rest);
      const due = real.residualFeeCandidates(...args);
      return rule.mode === "noWaiver" ? due.filter((c) => c.cs !== compiled.residual?.waiver?.cs) : due;
    },
  };
});

const paidLate: AccountSnapshot = {
  id: "A-1",
  charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }],
  payments: [{ id: "p1", on: "2026-04-01", amountMinor: 30000 }],
};

const RESIDUAL = {
  reminders: [
    { id: "late_fee_reminder", kind: "reminder", channels: ["sms"], daysAfterPrincipalPaid: 7 },
    { id: "late_fee_call", kind: "phoneCall", channels: ["phone"], daysAfterPrincipalPaid: 30 },
  ],
  waive: { id: "late_fee_waiver", daysAfterPrincipalPaid: 60, source: "S1, S2: waiving late fees" },
};

/** The residential built-in under its own id, with `residualLateFee` and, optionally, without its contract's payment order. */
function policyWith(residual: unknown, statutory = false): Policy {
  const src = builtinPolicySource("residential") as Record<string, unknown>;
  src.id = "estate-residual";
  if (residual !== undefined) src.residualLateFee = residual;
  if (statutory) {
    delete src.paymentOrder;
    delete src.paymentOrderContractTerm;
  }
  return parsePolicy(src);
}

const builtin = parsePolicy(builtinPolicySource("residential"));

describe("the two payment orders on the same account", () => {
  it("principalFirst (the built-ins' contract term): the payment pays the principal, the 4.50 fee is left", () => {
    expect(builtin.paymentOrder).toBe("principalFirst");
    expect(builtin.paymentOrderContractTerm).toMatch(/^CONTRACT TERM/);
    const r = computeLateFees(builtin, paidLate, "2026-04-08");
    expect(r.allocation.payments[0]!.lines).toEqual([{ chargeId: "c1", part: "principal", amountMinor: 30000 }]);
    // 30 days × 0.15 = 4.50; nothing accrues from 04-01, the principal being paid.
    expect(r.charges[0]).toMatchObject({ daysLate: 30, amountMinor: 450 });
    expect(r.allocation.charges[0]).toMatchObject({ principalUnpaidMinor: 0, lateFeePaidMinor: 0 });
  });

  it("costsLateFeePrincipal (Civil Code art. 561, the default): the payment pays the 4.50 fee first, 4.50 of principal is left and accrues", () => {
    const statutory = policyWith(undefined, true);
    expect(statutory.paymentOrder).toBeUndefined();
    const r = computeLateFees(statutory, paidLate, "2026-04-08");
    // The fee accrued before 04-01 (4.50) first, then principal: 300.00 − 4.50 = 295.50.
    expect(r.allocation.payments[0]!.lines).toEqual([
      { chargeId: "c1", part: "lateFee", amountMinor: 450 },
      { chargeId: "c1", part: "principal", amountMinor: 29550 },
    ]);
    // 4.50 unpaid from 04-01 through 04-08 (8 days) at 0.05%: 8 × 0.00225 = 0.018; the charge's
    // fee 4.50 + 0.018 = 4.518, rounded half up once: 4.52. Days late: 03-02..04-08 = 38.
    expect(r.charges[0]).toMatchObject({ daysLate: 38, amountMinor: 452 });
    expect(r.allocation.charges[0]).toMatchObject({ principalUnpaidMinor: 450, lateFeePaidMinor: 450 });
  });
});

describe("without residualLateFee (the behaviour before the field)", () => {
  it("nothing is planned for the fee left behind, though it stays owed", () => {
    const s = createScheduler(builtin);
    expect(s.forecast(paidLate, "2026-04-01", "2026-12-31")).toEqual([]);
    expect(computeLateFees(builtin, paidLate, "2026-12-31").totalMinor).toBe(450);
  });

  it("nor under the statutory order, where what is left is principal the ladder counts as paid", () => {
    const s = createScheduler(policyWith(undefined, true));
    expect(s.forecast(paidLate, "2026-04-01", "2026-12-31")).toEqual([]);
  });
});

describe("with residualLateFee: the fee's own ladder, then a waiver a person confirms", () => {
  const policy = policyWith(RESIDUAL);
  const s = createScheduler(policy);

  it("reminds 7 and 30 days after the principal was paid, then asks a person to waive at 60, each with its amount", () => {
    const timeline = s.forecast(paidLate, "2026-04-01", "2026-12-31");
    // 04-01 + 7 = 04-08; + 30 = 05-01; + 60 = 05-31. Then nothing: the waiver was carried out.
    expect(timeline.map((a) => [a.plannedOn, a.stage, a.audience, a.requiresReview])).toEqual([
      ["2026-04-08", "late_fee_reminder", "owner", false],
      ["2026-05-01", "late_fee_call", "owner", false],
      ["2026-05-31", "late_fee_waiver", "staff", true],
    ]);
    for (const a of timeline) {
      expect(a).toMatchObject({ overdueMinor: 0, unpaidMinor: 0, lateFeeMinor: 450, totalMinor: 450 });
      expect(a.charges).toEqual([{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000, unpaidMinor: 0, lateFeeMinor: 450, overdue: true }]);
    }
    expect(timeline[0]!.because.summary).toContain("7 days after charge c1 (2026-03) was paid on 2026-04-01: 4.50 CNY of its late fee remains");
    expect(timeline[2]!.because.stage.source).toBe("S1, S2: waiving late fees");
  });

  it("under the statutory order the same steps state what the payment left: principal 4.50 and the fee accruing on it", () => {
    const t = createScheduler(policyWith(RESIDUAL, true)).forecast(paidLate, "2026-04-01", "2026-12-31");
    // On 04-08: 4.50 + 2 (4.52 − 4.50 paid) = 4.52. On 05-01: 4.50 unpaid 04-01..05-01, 31 days ×
    // 0.00225 = 0.06975, fee 4.56975 → 4.57, 0.07 left: 4.57. On 05-31: 61 days, 0.13725, fee
    // 4.63725 → 4.64, 0.14 left: 4.64.
    expect(t.map((a) => [a.plannedOn, a.stage, a.overdueMinor, a.lateFeeMinor, a.totalMinor])).toEqual([
      ["2026-04-08", "late_fee_reminder", 450, 2, 452],
      ["2026-05-01", "late_fee_call", 450, 7, 457],
      ["2026-05-31", "late_fee_waiver", 450, 14, 464],
    ]);
    expect(t[0]!.because.summary).toContain("4.52 CNY remains: principal 4.50 CNY left because payments paid the late fee first (art. 561), and 0.02 CNY of late fee accrued on it since");
  });

  it("a recorded reminder is not repeated; a recorded waiver ends the fee's ladder", () => {
    const reminded = { ...paidLate, actions: [{ id: "A-1:late_fee_reminder@c1", stage: "late_fee_reminder", on: "2026-04-08" }] };
    expect(s.dueActions(reminded, "2026-04-20")).toEqual([]);
    expect(s.dueActions(reminded, "2026-05-01").map((a) => a.stage)).toEqual(["late_fee_call"]);
    const waived = { ...paidLate, actions: [{ id: "A-1:late_fee_waiver@c1", stage: "late_fee_waiver", on: "2026-06-02" }] };
    expect(s.forecast(waived, "2026-06-03", "2026-12-31")).toEqual([]);
  });

  it("planning late catches up: the reminders due meet in one action, and after the waiver's day only the waiver comes", () => {
    const [both] = s.dueActions(paidLate, "2026-05-04"); // planning resumes after two missed steps
    expect(both!.covers.map((c) => c.key)).toEqual(["late_fee_reminder@c1", "late_fee_call@c1"]);
    expect(s.dueActions(paidLate, "2026-06-15").map((a) => a.stage)).toEqual(["late_fee_waiver"]);
  });

  it("an open dispute pauses the call that presses for payment, not the waiver a person decides (holds.ts, one hold rule)", () => {
    const disputed = { ...paidLate, holds: [{ type: "dispute" as const, id: "d1", openedOn: "2026-04-20", severity: "major" as const }] };
    const stages = s.forecast(disputed, "2026-04-01", "2026-07-31").map((a) => `${a.plannedOn} ${a.stage}`);
    // The SMS reminder (informs) came before the dispute; the phone call (dunning-class) due on
    // 05-01 waits while it is open, and once the waiver's day (05-31) has come only the waiver is due.
    expect(stages.filter((x) => !x.endsWith("dispute_follow_up"))).toEqual(["2026-04-08 late_fee_reminder", "2026-05-31 late_fee_waiver"]);
  });

  it("a fee paid in full, or a charge paid on time, leaves nothing to chase", () => {
    const feePaid = { ...paidLate, payments: [...paidLate.payments!, { id: "p2", on: "2026-04-05", amountMinor: 450 }] };
    expect(s.forecast(feePaid, "2026-04-01", "2026-12-31")).toEqual([]);
    const onTime = { ...paidLate, payments: [{ id: "p1", on: "2026-03-01", amountMinor: 30000 }] };
    expect(s.forecast(onTime, "2026-03-01", "2026-12-31")).toEqual([]);
  });

  it("while a later charge's principal is overdue the main ladder speaks, and the fee's steps wait for it", () => {
    const april = { id: "c2", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 };
    const account = { ...paidLate, charges: [...paidLate.charges, april] };
    // c2 unpaid from 04-02: on 04-08 nothing about c1's fee.
    expect(s.dueActions(account, "2026-04-08").flatMap((a) => a.covers.map((c) => c.stage))).not.toContain("late_fee_reminder");
    // c2 paid on 04-20: late 04-02..04-19, 18 days, its own fee 18 × 0.15 = 2.70. c1's reminder,
    // owed since 04-08, comes that day; c2's own a week after its payment, on 04-27.
    const paid = { ...account, payments: [...paidLate.payments!, { id: "p2", on: "2026-04-20", amountMinor: 30000 }] };
    const timeline = s.forecast(paid, "2026-04-20", "2026-04-30");
    expect(timeline.map((a) => [a.plannedOn, a.covers.map((c) => c.key).join("+"), a.lateFeeMinor])).toEqual([
      ["2026-04-20", "late_fee_reminder@c1", 450],
      ["2026-04-27", "late_fee_reminder@c2", 270],
    ]);
  });
});

describe("a kept installment plan and the fee's steps: one hold rule (holds.ts holdPauses) for planning and for the review", () => {
  // S3: a written plan for c1 and June's charge (200.00, not due yet), agreed 03-20: 300.00 due
  // 04-01, paid on its day, and 200.00 due 06-01: kept. The plan holds every step for its charges,
  // so c1's fee (4.50) waits while it is kept. (A plan whose instalments are all paid is over:
  // tests/residual-fee-plan-ended.test.ts.)
  const s = createScheduler(policyWith(RESIDUAL));
  const plan = {
    type: "installmentPlan" as const,
    id: "ip1",
    agreedOn: "2026-03-20",
    charges: ["c1", "c6"],
    instalments: [
      { dueOn: "2026-04-01", amountMinor: 30000 },
      { dueOn: "2026-06-01", amountMinor: 20000 },
    ],
    recordedOn: "2026-04-10",
  };
  const onPlan: AccountSnapshot = { ...paidLate, charges: [...paidLate.charges, { id: "c6", period: "2026-06", dueOn: "2026-06-01", amountMinor: 20000 }], holds: [plan] };

  it("nothing about c1's fee is planned while the plan is kept (to 05-25; its second instalment's reminder comes 3 days before 06-01)", () => {
    expect(s.forecast(onPlan, "2026-04-01", "2026-05-25").map((a) => `${a.plannedOn} ${a.stage}`)).toEqual([]);
  });

  it("a fee reminder carried out before the plan was entered (04-10) is listed for review, as a step for a plan charge", () => {
    const reminded: AccountSnapshot = { ...onPlan, actions: [{ id: "A-1:late_fee_reminder@c1", stage: "late_fee_reminder", on: "2026-04-08" }] };
    const review = s.actionsInsideHolds(reminded, "2026-04-10");
    expect(review.map((r) => [r.actionId, r.holdId, r.holdType, r.holdFrom, r.holdRecordedOn])).toEqual([["A-1:late_fee_reminder@c1", "ip1", "installmentPlan", "2026-03-20", "2026-04-10"]]);
  });
});

describe("validation: references resolve or are errors", () => {
  const issues = (residual: unknown, change?: (src: Record<string, unknown>) => void) => {
    const src = builtinPolicySource("residential") as Record<string, unknown>;
    src.id = "estate-residual";
    src.residualLateFee = residual;
    change?.(src);
    const r = safeParsePolicy(src);
    return r.ok ? [] : r.issues.map((i) => `${i.code} ${i.path}`);
  };

  it("accepts the recipe's field", () => {
    expect(issues(RESIDUAL)).toEqual([]);
  });

  it("refuses it without a late-fee clause: no fee is owed, none can remain", () => {
    expect(issues(RESIDUAL, (src) => delete src.lateFee)).toEqual(["residual_without_late_fee residualLateFee"]);
  });

  it("refuses an id a stage or the scheduler already uses, since recorded actions name the step by it", () => {
    expect(issues({ reminders: [{ ...RESIDUAL.reminders[0], id: "dunning_notice" }] })).toEqual(["duplicate_stage residualLateFee.reminders[0].id"]);
    expect(issues({ waive: { id: "reopen", daysAfterPrincipalPaid: 60 } })).toEqual(["duplicate_stage residualLateFee.waive.id"]);
  });

  it("refuses days out of order: a reminder after a later one, a waiver before the last reminder", () => {
    expect(issues({ reminders: [RESIDUAL.reminders[1], RESIDUAL.reminders[0]] })).toEqual(["residual_order residualLateFee.reminders[1].daysAfterPrincipalPaid"]);
    expect(issues({ ...RESIDUAL, waive: { id: "w", daysAfterPrincipalPaid: 30 } })).toEqual(["residual_order residualLateFee.waive.daysAfterPrincipalPaid"]);
  });

  it("refuses a reminder on a staff channel, a legal or deadline kind, and an empty field", () => {
    expect(issues({ reminders: [{ ...RESIDUAL.reminders[0], channels: ["staffQueue"] }] })).toEqual(["staff_channel residualLateFee.reminders[0].channels[0]"]);
    expect(issues({ reminders: [{ ...RESIDUAL.reminders[0], kind: "lawyerLetter" }] })).toEqual(["invalid_value residualLateFee.reminders[0].kind"]);
    expect(issues({ reminders: [{ ...RESIDUAL.reminders[0], kind: "finalNotice" }] })).toEqual(["invalid_value residualLateFee.reminders[0].kind"]);
    expect(issues({})).toEqual(["residual_empty residualLateFee"]);
  });
});

describe("recipe: what remains after the principal (docs/recipes.md)", () => {
  const page = readFileSync(new URL("../docs/recipes.md", import.meta.url), "utf8");
  const section = page.slice(page.indexOf("## What remains after the principal"));
  const commands = /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split("\n");

  it("prints two commands; they run, and the plan is the one the page describes", async () => {
    expect(commands).toHaveLength(2);
    const [validate, planned] = [await runCli(...commands[0]!.replace(/^property-dunning /, "").split(" ")), await runCli(...commands[1]!.replace(/^property-dunning /, "").split(" "))];
    expect(validate!.code, validate!.err).toBe(0);
    expect(planned!.code, planned!.err).toBe(0);
    const rows = planned!.out.split("\n").filter((r) => /^A-\d/.test(r)).map((r) => r.split(/\s+/).slice(0, 2).join(" "));
    // A-1 paid 04-01: its reminder a week later. A-2 paid the fee too, A-3 on time: nothing.
    // A-4 paid 2026-02-01: 60 days on (04-02) the waiver for a person to confirm.
    expect(rows).toEqual(["A-1 late_fee_reminder", "A-4 late_fee_waiver"]);
  });
});

describe("the proof kit's residual-fee invariant", () => {
  const policy = policyWith(RESIDUAL);
  const SLOW = { timeout: 120_000 };

  it("passes the scheduler, and passes at once for the built-ins, which promise nothing about such a fee", SLOW, () => {
    expect(residualFee.check(policy, { runs: 60, seed: 3 }).ok).toBe(true);
    expect(residualFee.check(builtin, { runs: 20, seed: 3 }).ok).toBe(true);
  });

  it("fails when the steps come ten days early", SLOW, () => {
    rule.mode = "early";
    try {
      const r = residualFee.check(policy, { runs: 60, seed: 3 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/before \d{4}-\d{2}-\d{2} \(\d+ days after the principal was paid/);
    } finally {
      rule.mode = "real";
    }
  });

  it("fails when the waiver is never planned: the fee left silent", SLOW, () => {
    rule.mode = "noWaiver";
    try {
      const r = residualFee.check(policy, { runs: 60, seed: 3 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/late_fee_waiver@c\d never planned/);
    } finally {
      rule.mode = "real";
    }
  });
});

describe("planning a database ledger: an account paid up is still read when the policy chases what remains", () => {
  // The SQL ledgers hand over a paid-up account without its rows (ReadOptions.paidUpOn) unless told not to.
  const stagesOf = async (ledger: LedgerAdapter) => {
    const out: Record<string, string[]> = {};
    for (const [name, p] of [["builtin", builtin], ["residual", policyWith(RESIDUAL)]] as const) {
      out[name] = [];
      for await (const e of plan(ledger, { asOf: "2026-04-08", policy: p })) if (e.type === "planned") out[name]!.push(...e.actions.map((a) => `${a.accountId} ${a.stage} ${a.lateFeeMinor}`));
    }
    return out;
  };
  itOnSqlLedgers("residual", [{ ...paidLate, segment: "residential" }], stagesOf, { builtin: [], residual: ["A-1 late_fee_reminder 450"] });
});
