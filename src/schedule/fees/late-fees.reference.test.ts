/** lateFeesUnderClause against a day-by-day BigInt reference: every field of every charge, the allocation, the timeline rows. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILTIN_LATE_FEE, describeAccrual, divideRounded, type LateFeeClause } from "../../rules/late-fee.js";
import type { Account, Charge, ChargeSnapshot, PaymentSnapshot } from "../../ledger/account.js";
import { addMonths, formatCivilDate, isoWeekday } from "../time/civil-date.js";
import { lateFeesUnderClause, lateFeeTimeline, type AccrualRow, type ChargeLateFee, type LateFeeAmounts, type LateFeeNotice, type LateFeeOptions, type LateFeeReportOnDays, type TimelineRow } from "./late-fees.js";
import { d, account, fees, clause, START, clauseArb, ledgerArb, build, NEW_YORK } from "./__fixtures__/late-fees.js";

// ---------------------------------------------------------------------------------------------
// Equivalence with a straightforward reference: every day counted one by one, BigInt throughout,
// no memo, no closed form. lateFeesUnderClause must agree with it on every field of every charge, on
// the allocation, and (with `detail: false`) on the amounts; lateFeeTimeline on every row.

type RefStep = { on: number; amountMinor: number };
type RefTerms = { due: number; lastFree: number; accrueFrom: number };
type RefFee = { arisen: boolean; uncapped: number; cap?: { kind: "percentOfPrincipal" | "amount" | "annualRate" | "perAccount"; limitMinor: number }; amount: number; rows: AccrualRow[] };

const REF_MAX = BigInt(Number.MAX_SAFE_INTEGER);

function refUnpaid(amount: number, steps: readonly RefStep[], day: number): number {
  let p = amount;
  for (const s of steps) if (s.on <= day) p -= s.amountMinor;
  return p;
}

function refTerms(cl: LateFeeClause, due0: number, isWorkingDay: (day: number) => boolean): RefTerms {
  const shift = (day: number) => {
    if (cl.holidayShift !== true) return day;
    let x = day;
    while (!isWorkingDay(x)) x++;
    return x;
  };
  const due = shift(due0);
  const lastFree = (cl.graceDays ?? 0) > 0 ? shift(due + cl.graceDays!) : due;
  return { due, lastFree, accrueFrom: cl.startsAfter === "dueDate" ? due + 1 : lastFree + 1 };
}

/** The fee's numerator (over 10000) added on each day, from the first accrual day: the definition, day by day. */
function refFee(cl: LateFeeClause, c: Charge, tm: RefTerms, steps: readonly RefStep[], T: number): RefFee {
  const base = refUnpaid(c.amount, steps, tm.lastFree);
  if (T <= tm.lastFree || base <= 0) return { arisen: false, uncapped: 0, amount: 0, rows: [] };
  const a = cl.accrual;
  const parts: { kind: AccrualRow["kind"]; from: number; to: number; principal: number; days: number; num: bigint }[] = [];
  if (a.type === "flat" || a.type === "flatPlusDaily") parts.push({ kind: "flat", from: tm.lastFree + 1, to: tm.lastFree + 1, principal: base, days: 0, num: BigInt(a.amountMinor) * 10000n });
  if (a.type === "percentOnce") parts.push({ kind: "percent", from: tm.lastFree + 1, to: tm.lastFree + 1, principal: base, days: 0, num: BigInt(base) * BigInt(a.rateBasisPoints) });
  if (a.type === "daily" || a.type === "flatPlusDaily")
    for (let day = tm.accrueFrom; day <= T; day++) {
      const p = refUnpaid(c.amount, steps, day);
      if (p <= 0) continue;
      const last = parts.at(-1);
      if (last && last.kind === "daily" && last.principal === p && last.to === day - 1) (last.to = day), last.days++, (last.num += BigInt(p) * BigInt(a.rateBasisPoints));
      else parts.push({ kind: "daily", from: day, to: day, principal: p, days: 1, num: BigInt(p) * BigInt(a.rateBasisPoints) });
    }
  if (a.type === "monthly")
    for (let k = 0; ; k++) {
      const from = addMonths(tm.accrueFrom, k);
      const p = refUnpaid(c.amount, steps, from);
      if (from > T || p <= 0) break;
      const to = Math.min(addMonths(tm.accrueFrom, k + 1) - 1, T);
      parts.push({ kind: "monthly", from, to, principal: p, days: to - from + 1, num: BigInt(p) * BigInt(a.rateBasisPoints) });
    }
  const mode = cl.rounding ?? "halfUp";
  let cum = 0n;
  let prev = 0n;
  const rows: AccrualRow[] = parts.map((x) => {
    cum += x.num;
    const now = divideRounded(cum, 10000n, mode);
    const row = { kind: x.kind, from: formatCivilDate(x.from), to: formatCivilDate(x.to), principalMinor: x.principal, days: x.days, amountMinor: Number(now - prev) };
    prev = now;
    return row;
  });
  if (prev > REF_MAX) throw new RangeError("late fee beyond 2^53");
  const uncapped = Number(prev);
  const caps = cl.caps ?? {};
  const limits: NonNullable<RefFee["cap"]>[] = [];
  if (caps.percentOfPrincipalBasisPoints !== undefined) limits.push({ kind: "percentOfPrincipal", limitMinor: Number((BigInt(c.amount) * BigInt(caps.percentOfPrincipalBasisPoints)) / 10000n) });
  if (caps.amountMinor !== undefined) limits.push({ kind: "amount", limitMinor: caps.amountMinor });
  if (caps.annualRateBasisPoints !== undefined) {
    let num = 0n;
    for (let day = tm.due + 1; day <= T; day++) num += BigInt(Math.max(0, refUnpaid(c.amount, steps, day)));
    limits.push({ kind: "annualRate", limitMinor: Number((num * BigInt(caps.annualRateBasisPoints)) / 3_650_000n) });
  }
  let cap: RefFee["cap"];
  for (const l of limits) if (l.limitMinor < uncapped && (!cap || l.limitMinor < cap.limitMinor)) cap = l;
  return { arisen: true, uncapped, ...(cap ? { cap } : {}), amount: cap ? cap.limitMinor : uncapped, rows };
}

function refPaidInFullOn(c: Charge, steps: readonly RefStep[], T: number): number | undefined {
  if (c.amount === 0) return c.due;
  for (const s of steps) if (s.on <= T && refUnpaid(c.amount, steps, s.on) <= 0) return s.on;
  return undefined;
}

interface RefInput {
  cl: LateFeeClause;
  charges: readonly Charge[];
  terms: readonly RefTerms[];
  tags: readonly string[];
  notices: readonly LateFeeNotice[];
}

/** Every charge's fee through T with waivers and the account cap, recomputed from scratch. */
type RefEvaluated = RefFee & { waiver?: { type: string; reason: string } };
function refEvaluate(x: RefInput, steps: readonly (readonly RefStep[])[], T: number, provisional?: number): RefEvaluated[] {
  const fees = x.charges.map((c, i) => refFee(x.cl, c, x.terms[i]!, steps[i]!, T));
  const out = fees.map((f, i): RefEvaluated => {
    const c = x.charges[i]!;
    if (!f.arisen) return { ...f };
    for (const w of x.cl.waivers ?? []) {
      if (w.type === "accountTag" && x.tags.includes(w.tag)) return { ...f, amount: 0, waiver: { type: w.type, reason: `the account carries the tag "${w.tag}"` } };
      if (w.type === "firstLateInMonths" && !x.charges.some((o, j) => j < i && o.due >= addMonths(c.due, -w.months) && fees[j]!.arisen))
        return { ...f, amount: 0, waiver: { type: w.type, reason: `first late payment in ${w.months} months` } };
      if (w.type === "paidWithinDaysOfNotice") {
        const n = x.notices.find((m) => m.on > c.due && (!w.stageKinds || (w.stageKinds as readonly string[]).includes(m.kind)) && (!m.chargeIds || m.chargeIds.includes(c.id)));
        const day = refPaidInFullOn(c, steps[i]!, T) ?? provisional;
        if (day !== undefined && (!n || day <= n.on + w.days))
          return {
            ...f,
            amount: 0,
            waiver: { type: w.type, reason: n ? `principal paid in full by ${formatCivilDate(day)}, within ${w.days} days of the ${n.kind} of ${formatCivilDate(n.on)}` : `principal paid in full by ${formatCivilDate(day)}, before any notice` },
          };
      }
    }
    return { ...f };
  });
  const cap = x.cl.caps?.perAccountMinor;
  const total = (day: number) => x.charges.map((c, i) => (out[i]!.waiver ? 0 : refFee(x.cl, c, x.terms[i]!, steps[i]!, day).amount));
  if (cap === undefined || out.reduce((s, f) => s + f.amount, 0) <= cap) return out;
  // The first day the account's fees exceed the cap, counted day by day.
  let hi = Math.min(...x.terms.map((t) => t.lastFree)) + 1;
  while (total(hi).reduce((s, v) => s + v, 0) <= cap) hi++;
  const before = total(hi - 1);
  const after = total(hi);
  let room = cap - before.reduce((s, v) => s + v, 0);
  out.forEach((f, i) => {
    const take = Math.min(after[i]! - before[i]!, room);
    room -= take;
    if (before[i]! + take < f.amount) (f.amount = before[i]! + take), (f.cap = { kind: "perAccount", limitMinor: f.amount });
  });
  return out;
}

/** `memoPerPayment`: evaluate once per payment rather than once per charge visited (for big ledgers). */
function refReport(cl: LateFeeClause, account: Account, asOf: number, options: LateFeeOptions, memoPerPayment = false): LateFeeReportOnDays {
  const isWorkingDay = options.isWorkingDay ?? (() => true);
  const x: RefInput = {
    cl,
    charges: account.charges,
    terms: account.charges.map((c) => refTerms(cl, c.due, isWorkingDay)),
    tags: options.tags ?? account.snapshot.owner?.tags ?? [],
    notices: [...(options.notices ?? [])].filter((n) => n.on <= asOf).sort((a, b) => a.on - b.on),
  };
  // The allocation, oldest due first (normalizeAccount's order), every fee recomputed when asked.
  const order = options.order ?? "principalFirst";
  const balances = account.charges.map((c) => ({ chargeId: c.id, principalPaidMinor: 0, principalUnpaidMinor: c.amount, lateFeePaidMinor: 0, costsPaidMinor: 0, costsUnpaidMinor: 0, principalPaid: [] as RefStep[] }));
  const payments = account.payments.filter((p) => p.on <= asOf);
  let creditMinor = 0;
  const allocated = payments.map((p) => {
    let rest = p.amount;
    const lines: { chargeId: string; part: "lateFee" | "principal"; amountMinor: number }[] = [];
    let memo: RefEvaluated[] | undefined;
    const owed = (i: number) => {
      const ev = memo ?? refEvaluate(x, balances.map((b) => b.principalPaid.map((s) => ({ ...s }))), p.on - 1, p.on);
      if (memoPerPayment) memo = ev;
      return Math.max(0, ev[i]!.amount - balances[i]!.lateFeePaidMinor);
    };
    const pay = (i: number, part: "lateFee" | "principal", amount: number) => {
      const paid = Math.min(rest, amount);
      if (paid <= 0) return;
      const b = balances[i]!;
      rest -= paid;
      lines.push({ chargeId: b.chargeId, part, amountMinor: paid });
      if (part === "lateFee") b.lateFeePaidMinor += paid;
      else (b.principalPaidMinor += paid), (b.principalUnpaidMinor -= paid), b.principalPaid.push({ on: p.on, amountMinor: paid });
    };
    if (order === "costsLateFeePrincipal")
      for (let i = 0; i < balances.length && rest > 0; i++) {
        pay(i, "lateFee", owed(i));
        pay(i, "principal", balances[i]!.principalUnpaidMinor);
      }
    else {
      balances.forEach((b, i) => pay(i, "principal", b.principalUnpaidMinor));
      for (let i = 0; i < balances.length && rest > 0; i++) pay(i, "lateFee", owed(i));
    }
    creditMinor += rest;
    return { paymentId: p.id, on: formatCivilDate(p.on), amountMinor: p.amount, lines, creditMinor: rest };
  });
  const steps = balances.map((b) => b.principalPaid);
  const charges = refEvaluate(x, steps, asOf).map((f, i): ChargeLateFee => {
    const c = account.charges[i]!;
    const tm = x.terms[i]!;
    const paid = refPaidInFullOn(c, steps[i]!, asOf);
    return {
      chargeId: c.id,
      dueOn: formatCivilDate(c.due),
      payableBy: formatCivilDate(tm.lastFree),
      accrualStartsOn: f.arisen ? formatCivilDate(tm.accrueFrom) : null,
      daysLate: Math.max(0, Math.min(asOf, paid === undefined ? asOf : paid - 1) - tm.due),
      rate: describeAccrual(cl.accrual),
      uncappedMinor: f.uncapped,
      ...(f.cap && !f.waiver ? { capApplied: f.cap } : {}),
      ...(f.waiver ? { waiver: f.waiver as ChargeLateFee["waiver"] } : {}),
      amountMinor: f.amount,
      accrual: f.rows,
    };
  });
  // The fees together must be exact too (issue 14 #8): beyond 2^53 − 1 there is no report.
  const total = charges.reduce((s, c) => s + BigInt(c.amountMinor), 0n);
  if (total > REF_MAX) throw new RangeError("late fees together beyond 2^53");
  return { asOf: formatCivilDate(asOf), clause: cl.label, charges, totalMinor: Number(total), allocation: { order, payments: allocated, charges: balances, creditMinor } };
}

function refTimeline(cl: LateFeeClause, account: Account, asOf: number, options: LateFeeOptions, report: LateFeeReportOnDays): TimelineRow[] {
  const isWorkingDay = options.isWorkingDay ?? (() => true);
  const rows: TimelineRow[] = [];
  account.charges.forEach((c, i) => {
    const tm = refTerms(cl, c.due, isWorkingDay);
    const steps = report.allocation.charges[i]!.principalPaid;
    if (!refFee(cl, c, tm, steps, asOf).arisen) return;
    let prev = 0;
    for (let day = tm.accrueFrom; day <= asOf; day++) {
      const total = refFee(cl, c, tm, steps, day).amount;
      const principal = Math.max(0, refUnpaid(c.amount, steps, day));
      if (principal > 0 || total !== prev) rows.push({ on: formatCivilDate(day), chargeId: c.id, principalMinor: principal, accruedMinor: total - prev, totalMinor: total });
      prev = total;
    }
  });
  return rows;
}

/** lateFeesUnderClause, full and `detail: false`, equals the reference, or both refuse (the reference with a RangeError, lateFeesUnderClause with `unsafe_total`). */
function expectSameAsReference(cl: LateFeeClause, a: Account, asOf: number, options: LateFeeOptions, timeline = false, big = false): void {
  let ref: LateFeeReportOnDays;
  try {
    ref = refReport(cl, a, asOf, options, big);
  } catch (e) {
    expect(e).toBeInstanceOf(RangeError);
    expect(() => lateFeesUnderClause(cl, a, asOf, options)).toThrow(expect.objectContaining({ name: "UnsafeAmountError", code: "unsafe_total" }));
    expect(() => lateFeesUnderClause(cl, a, asOf, { ...options, detail: false })).toThrow(expect.objectContaining({ name: "UnsafeAmountError", code: "unsafe_total" }));
    return;
  }
  expect(lateFeesUnderClause(cl, a, asOf, options)).toStrictEqual(ref);
  const amounts: LateFeeAmounts = {
    charges: ref.charges.map((c) => ({
      chargeId: c.chargeId,
      daysLate: c.daysLate,
      uncappedMinor: c.uncappedMinor,
      amountMinor: c.amountMinor,
      ...(c.capApplied ? { capApplied: c.capApplied } : {}),
      ...(c.waiver ? { waiver: c.waiver } : {}),
    })),
    totalMinor: ref.totalMinor,
  };
  expect(lateFeesUnderClause(cl, a, asOf, { ...options, detail: false })).toStrictEqual(amounts);
  if (timeline) expect(lateFeeTimeline(cl, a, asOf, options)).toStrictEqual(refTimeline(cl, a, asOf, options, ref));
}

const amountArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 200_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 64) }) },
  { weight: 1, arbitrary: fc.integer({ min: Number.MAX_SAFE_INTEGER - 1_000_000, max: Number.MAX_SAFE_INTEGER }) },
);
/**
 * Amounts as a ledger may hold them: their sum exact (issue 14 #8: `normalizeAccount` refuses
 * more), so amounts near 2^53 are shared out when there are several.
 */
const fitted = (amounts: number[]): number[] =>
  amounts.reduce((s, x) => s + x, 0) <= Number.MAX_SAFE_INTEGER ? amounts : amounts.map((x) => Math.max(x > 0 ? 1 : 0, Math.floor(x / amounts.length)));
const wideClauseArb = fc
  .tuple(
    clauseArb(true),
    fc.boolean(),
    fc.option(fc.integer({ min: 1, max: 10000 }), { nil: undefined }),
    fc.option(fc.subarray(["dunningNotice", "finalNotice", "phoneCall"] as const, { minLength: 1 }), { nil: undefined }),
  )
  .map(([cl, holidayShift, bigRate, stageKinds]): LateFeeClause => ({
    ...cl,
    holidayShift,
    // now and then the schema's full range of rates
    accrual: bigRate !== undefined && cl.accrual.type !== "flat" ? { ...cl.accrual, rateBasisPoints: bigRate } : cl.accrual,
    waivers: (cl.waivers ?? []).map((w) => (w.type === "paidWithinDaysOfNotice" && stageKinds ? { ...w, stageKinds: [...stageKinds] } : w)),
  }));
const wideLedgerArb = fc.record({
  charges: fc.array(fc.record({ due: fc.integer({ min: 0, max: 120 }), amount: amountArb }), { minLength: 1, maxLength: 7 }),
  // small payments too: they leave fees partly paid, for later payments to pay
  payments: fc.array(fc.record({ on: fc.integer({ min: -10, max: 320 }), amount: fc.oneof(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 1, max: 3000 }), amountArb.filter((x) => x > 0)) }), { maxLength: 9 }),
  tags: fc.constantFrom<string[]>([], ["elderly"]),
  notices: fc.array(fc.record({ on: fc.integer({ min: 0, max: 300 }), kind: fc.constantFrom("dunningNotice", "finalNotice", "phoneCall"), only: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }) }), { maxLength: 3 }),
  order: fc.constantFrom("principalFirst" as const, "costsLateFeePrincipal" as const),
  holidays: fc.oneof(fc.constant("weekends" as const), fc.array(fc.integer({ min: 0, max: 450 }), { maxLength: 40 })),
});

describe("lateFeesUnderClause equals a day-by-day reference", () => {
  it("on random clauses, ledgers and days: every field of every charge, the allocation, the amounts of detail: false", () => {
    fc.assert(
      fc.property(wideClauseArb, wideLedgerArb, fc.integer({ min: -5, max: 700 }), (cl, l, at) => {
        const chargeAmounts = fitted(l.charges.map((c) => c.amount));
        const paymentAmounts = fitted(l.payments.map((p) => p.amount));
        const a = account({
          owner: { tags: l.tags },
          charges: l.charges.map((c, i) => ({ id: `c${i}`, period: formatCivilDate(START + c.due).slice(0, 7), dueOn: formatCivilDate(START + c.due), amountMinor: chargeAmounts[i]! })),
          payments: l.payments.map((p, i) => ({ id: `p${i}`, on: formatCivilDate(START + p.on), amountMinor: paymentAmounts[i]! })),
        });
        const holidays = l.holidays === "weekends" ? undefined : new Set(l.holidays.map((h) => START + h));
        const options: LateFeeOptions = {
          order: l.order,
          isWorkingDay: holidays ? (day) => !holidays.has(day) : (day) => isoWeekday(day) < 6,
          notices: l.notices.map((n) => ({ on: START + n.on, kind: n.kind, ...(n.only !== undefined ? { chargeIds: [`c${n.only}`] } : {}) })),
        };
        expectSameAsReference(cl, a, START + at, options);
      }),
      { numRuns: 400 },
    );
  });

  it("when the principal is paid and the fees are paid over several later payments", () => {
    const instalments = fc.record({
      charges: fc.array(fc.record({ due: fc.integer({ min: 0, max: 40 }), amount: fc.integer({ min: 0, max: 40_000 }) }), { minLength: 1, maxLength: 3 }),
      payoff: fc.integer({ min: 0, max: 120 }),
      rest: fc.array(fc.record({ after: fc.integer({ min: 0, max: 60 }), amount: fc.integer({ min: 1, max: 1500 }) }), { minLength: 1, maxLength: 6 }),
      order: fc.constantFrom("principalFirst" as const, "costsLateFeePrincipal" as const),
    });
    fc.assert(
      fc.property(clauseArb(false), instalments, fc.integer({ min: 0, max: 400 }), (cl, l, at) => {
        // one payment clears every principal (plus a little), then small ones pay the fees
        const total = l.charges.reduce((sum, c) => sum + c.amount, 0);
        let on = l.payoff;
        const payments = [{ on, amount: total + 1 }, ...l.rest.map((p) => ({ on: (on += p.after), amount: p.amount }))];
        const { a, options } = build({ charges: l.charges, payments, tags: [], notices: [], order: l.order });
        expectSameAsReference(cl, a, START + at, options);
      }),
      { numRuns: 1000 },
    );
  });

  it("lateFeeTimeline, row by row", () => {
    fc.assert(
      fc.property(wideClauseArb, ledgerArb, fc.integer({ min: 0, max: 400 }), (cl, l, at) => {
        const { a, options } = build(l);
        expectSameAsReference(cl, a, START + at, options, true);
      }),
      { numRuns: 150 },
    );
  });

  it("24 and 60 monthly charges with late, partial and missing payments, the built-in clause and others, both orders", () => {
    for (const months of [24, 60]) {
      const charges: ChargeSnapshot[] = [];
      const payments: PaymentSnapshot[] = [];
      for (let m = 0; m < months; m++) {
        const period = `${2021 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
        const due = d(`${period}-01`);
        charges.push({ id: period, period, dueOn: `${period}-01`, amountMinor: 30000 });
        const pay = (after: number, amountMinor: number) => payments.push({ id: `p${m}-${payments.length}`, on: formatCivilDate(due + after), amountMinor });
        [() => pay(0, 30000), () => pay(12, 30180), () => (pay(5, 15000), pay(40, 15000)), () => {}, () => pay(45, 30700), () => pay(-3, 30000), () => pay(20, 10000), () => {}][m % 8]!();
      }
      const a = account({ charges, payments });
      const asOf = a.charges.at(-1)!.due + 45;
      const notices = [{ on: asOf - 20, kind: "dunningNotice" }];
      for (const cl of [
        BUILTIN_LATE_FEE,
        clause({ caps: { annualRateBasisPoints: 1500, amountMinor: 5000 }, waivers: [{ type: "firstLateInMonths", months: 6 }] }),
        clause({ accrual: { type: "monthly", rateBasisPoints: 150 }, graceDays: 3, startsAfter: "graceEnd", waivers: [{ type: "paidWithinDaysOfNotice", days: 10 }] }),
      ])
        for (const order of ["principalFirst", "costsLateFeePrincipal"] as const) expectSameAsReference(cl, a, asOf, { order, notices }, false, true);
    }
  });
});

describe("lateFeesUnderClause, fees left unpaid after the principal", () => {
  it("principal first: later payments still pay the fee of a charge whose principal is paid", () => {
    // 30 days × 1.50 = 45.00 accrued before the 04-01 payoff; 1.00 of it paid then, 1.00 on 05-01, the rest on 06-01
    const a = account({ payments: [{ id: "p1", on: "2026-04-01", amountMinor: 30100 }, { id: "p2", on: "2026-05-01", amountMinor: 100 }, { id: "p3", on: "2026-06-01", amountMinor: 1000 }] });
    const r = fees(BUILTIN_LATE_FEE, a, "2026-07-01");
    expect(r.allocation.payments.map((p) => [p.lines, p.creditMinor])).toEqual([
      [[{ chargeId: "c1", part: "principal", amountMinor: 30000 }, { chargeId: "c1", part: "lateFee", amountMinor: 100 }], 0],
      [[{ chargeId: "c1", part: "lateFee", amountMinor: 100 }], 0],
      [[{ chargeId: "c1", part: "lateFee", amountMinor: 250 }], 750],
    ]);
    expect(r.totalMinor).toBe(450);
    expectSameAsReference(BUILTIN_LATE_FEE, a, d("2026-07-01"), {});
  });

  it("art. 561 order: a flat fee that arises the day the principal is paid is paid by later payments", () => {
    // New York: payable by 03-06; paid on 03-07, when the fee arises (through 03-06 nothing was owed)
    const a = account({
      charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 80000 }],
      payments: [{ id: "p1", on: "2026-03-07", amountMinor: 80000 }, { id: "p2", on: "2026-03-20", amountMinor: 100 }, { id: "p3", on: "2026-04-01", amountMinor: 5000 }],
    });
    const r = fees(NEW_YORK, a, "2026-05-01", { order: "costsLateFeePrincipal" });
    expect(r.allocation.payments.map((p) => [p.lines, p.creditMinor])).toEqual([
      [[{ chargeId: "c1", part: "principal", amountMinor: 80000 }], 0],
      [[{ chargeId: "c1", part: "lateFee", amountMinor: 100 }], 0],
      [[{ chargeId: "c1", part: "lateFee", amountMinor: 3900 }], 1100],
    ]);
    expect(r.totalMinor).toBe(4000);
    expectSameAsReference(NEW_YORK, a, d("2026-05-01"), { order: "costsLateFeePrincipal" });
  });
});
