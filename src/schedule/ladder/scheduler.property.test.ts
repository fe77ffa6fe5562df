/**
 * The scheduler's semantics as properties over random ledgers (fast-check): paid means quiet,
 * nothing dunning-class on or before a due date, one owner action a day, every warning in order
 * with its gap, a lawyer's letter only after a passed deadline, determinism, forecast = daily runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtin, runDaily } from "../../../tests/helpers.js";
import { isDunningClass } from "../../rules/kinds.js";
import type { AccountSnapshot } from "../../ledger/account.js";
import { civilDate, formatCivilDate } from "../time/civil-date.js";

const schedulers = { residential: builtin("residential"), commercial: builtin("commercial") };
const START = civilDate("2025-01-01");

/** 1–18 monthly charges from 2025-01 on, due on the 1st (or a random day ≤ 28), random payments. */
const accountArb = fc
  .record({
    segment: fc.constantFrom("residential" as const, "commercial" as const),
    months: fc.integer({ min: 1, max: 18 }),
    dueDay: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 28 })),
    amount: fc.integer({ min: 1, max: 500_000 }),
    payments: fc.array(fc.record({ day: fc.integer({ min: 0, max: 900 }), amount: fc.integer({ min: 1, max: 1_000_000 }) }), { maxLength: 6 }),
  })
  .map(({ segment, months, dueDay, amount, payments }): AccountSnapshot => ({
    id: "A-1",
    segment,
    charges: Array.from({ length: months }, (_, i) => {
      const y = 2025 + Math.floor(i / 12);
      const m = String((i % 12) + 1).padStart(2, "0");
      return { id: `c${i}`, period: `${y}-${m}`, dueOn: `${y}-${m}-${String(dueDay).padStart(2, "0")}`, amountMinor: amount };
    }),
    payments: payments.map((p, i) => ({ id: `p${i}`, on: formatCivilDate(START + p.day), amountMinor: p.amount })),
    actions: [],
  }));

/** Unpaid principal of each charge on day `d`, oldest first. */
function unpaidOn(account: AccountSnapshot, d: number): Map<string, number> {
  let paid = (account.payments ?? []).filter((p) => civilDate(p.on) <= d).reduce((s, p) => s + p.amountMinor, 0);
  const out = new Map<string, number>();
  for (const c of account.charges) {
    const applied = Math.min(paid, c.amountMinor);
    paid -= applied;
    out.set(c.id, c.amountMinor - applied);
  }
  return out;
}

const RUNS = { numRuns: 60 };
const FROM = "2024-12-25";
const TO = "2027-06-30";

describe("scheduler properties (built-in policies)", () => {
  it("paid means quiet: nothing for a paid charge, nothing dunning-class on or before its due date", () => {
    fc.assert(
      fc.property(accountArb, (account) => {
        const actions = runDaily(schedulers[account.segment!], account, FROM, TO);
        for (const a of actions) {
          const day = civilDate(a.plannedOn);
          const unpaid = unpaidOn(account, day);
          for (const c of a.covers) {
            const chargeId = c.key.slice(c.key.indexOf("@") + 1);
            const charge = account.charges.find((x) => x.id === chargeId)!;
            expect(unpaid.get(chargeId)).toBeGreaterThan(0);
            if (isDunningClass(c.kind)) expect(day).toBeGreaterThan(civilDate(charge.dueOn));
          }
          if (isDunningClass(a.kind)) expect(a.overdueMinor).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it("one owner-facing action a day; no stage instance twice", () => {
    fc.assert(
      fc.property(accountArb, (account) => {
        const actions = runDaily(schedulers[account.segment!], account, FROM, TO);
        const days = actions.filter((a) => a.audience === "owner").map((a) => a.plannedOn);
        expect(new Set(days).size).toBe(days.length);
        const keys = actions.flatMap((a) => a.covers.map((c) => c.key));
        expect(new Set(keys).size).toBe(keys.length);
      }),
      RUNS,
    );
  });

  it("every warning of a charge ladder in order, each after the one before it", () => {
    fc.assert(
      fc.property(accountArb, (account) => {
        const scheduler = schedulers[account.segment!];
        const ladder = scheduler.policy.stages.filter((s) => s.trigger.type === "billingMonthDay" && isDunningClass(s.kind)).map((s) => s.id);
        const actions = runDaily(scheduler, account, FROM, TO);
        const when = new Map(actions.flatMap((a) => a.covers.map((c) => [c.key, a.plannedOn] as const)));
        for (const charge of account.charges)
          for (let i = 1; i < ladder.length; i++) {
            const later = when.get(`${ladder[i]}@${charge.id}`);
            if (later === undefined) continue;
            const earlier = when.get(`${ladder[i - 1]}@${charge.id}`);
            expect(earlier, `${ladder[i - 1]} before ${ladder[i]} for ${charge.id}`).toBeDefined();
            expect(earlier! < later).toBe(true);
          }
      }),
      RUNS,
    );
  });

  it("a lawyer's letter only after a final notice whose deadline has passed", () => {
    fc.assert(
      fc.property(accountArb, (account) => {
        const actions = runDaily(schedulers[account.segment!], account, FROM, TO);
        for (const lawyer of actions.filter((a) => a.kind === "lawyerLetter")) {
          const finals = actions.filter((a) => a.kind === "finalNotice" && a.plannedOn < lawyer.plannedOn && a.deadlineOn! < lawyer.plannedOn);
          expect(finals.length).toBeGreaterThan(0);
          expect(lawyer.requiresReview).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("forecast equals planning every day; both are deterministic", () => {
    fc.assert(
      fc.property(accountArb, (account) => {
        const scheduler = schedulers[account.segment!];
        const daily = runDaily(scheduler, account, FROM, TO);
        const forecast = scheduler.forecast(account, FROM, TO);
        expect(forecast).toEqual(daily);
        expect(scheduler.forecast(structuredClone(account), FROM, TO)).toEqual(forecast);
      }),
      { numRuns: 30 },
    );
  });

  it("the order the ledger lists charges and payments in does not matter", () => {
    const shuffledArb = accountArb.chain((account) =>
      fc.tuple(
        fc.constant(account),
        fc.shuffledSubarray(account.charges, { minLength: account.charges.length }),
        fc.shuffledSubarray(account.payments ?? [], { minLength: account.payments?.length ?? 0 }),
      ),
    );
    fc.assert(
      fc.property(shuffledArb, ([account, charges, payments]) => {
        const scheduler = schedulers[account.segment!];
        expect(scheduler.forecast({ ...account, charges, payments }, FROM, TO)).toEqual(scheduler.forecast(account, FROM, TO));
      }),
      { numRuns: 30 },
    );
  });
});
