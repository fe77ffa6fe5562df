/**
 * Cost of `lateFeesUnderClause` per call: one account with N monthly charges of 300.00 and a
 * realistic payment history (on time, late, partial, some months never paid), the built-in
 * clause (0.05 %/day, cap 30 %, halfUp). Run: npx tsx bench/late-fees.ts [ms per case, default 1500]
 */
import { BUILTIN_LATE_FEE, type LateFeeClause } from "../src/rules/late-fee.js";
import { type Account, type AccountSnapshot } from "../src/ledger/account.js";
import { normalizeAccount } from "../src/ledger/check-account.js";
import { civilDate, formatCivilDate, isoWeekday } from "../src/schedule/time/civil-date.js";
import { lateFeesUnderClause, type LateFeeOptions } from "../src/schedule/fees/late-fees.js";

const budgetMs = Number(process.argv[2] ?? 1500);

/** `months` monthly charges of 300.00 from 2021-01 on; paid in a fixed 8-month pattern. */
function snapshot(months: number): AccountSnapshot {
  const charges: AccountSnapshot["charges"] = [];
  const payments: NonNullable<AccountSnapshot["payments"]> = [];
  for (let m = 0; m < months; m++) {
    const y = 2021 + Math.floor(m / 12);
    const period = `${y}-${String((m % 12) + 1).padStart(2, "0")}`;
    const due = civilDate(`${period}-01`);
    charges.push({ id: period, period, dueOn: `${period}-01`, amountMinor: 30000 });
    const pay = (afterDays: number, amountMinor: number) => payments.push({ id: `p${m}-${payments.length}`, on: formatCivilDate(due + afterDays), amountMinor });
    // 8 payments every 8 months: 24 charges, 24 payments
    switch (m % 8) {
      case 0: pay(0, 30000); break; // on time
      case 1: pay(12, 30180); break; // late, with its fee (12 days × 1.50)
      case 2: pay(5, 15000); pay(40, 15000); break; // partial, the rest late
      case 3: break; // never paid
      case 4: pay(45, 30000); break; // very late, without the fee
      case 5: pay(-3, 30000); break; // early
      case 6: pay(20, 10000); break; // partial, the rest never
      case 7: pay(60, 30500); break; // two months late, with part of the fee
    }
  }
  return { id: `A-${months}`, charges, payments, actions: [] };
}

function account(months: number): Account {
  const r = normalizeAccount(snapshot(months));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.account;
}

interface Result {
  label: string;
  /** µs per call: the median and the best of the rounds (the best is the least disturbed by other work on the machine). */
  median: number;
  best: number;
  calls: number;
  total: number;
}

function measure(label: string, clause: LateFeeClause, a: Account, asOf: number, options: LateFeeOptions & { detail?: boolean }): Result {
  let total = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) total = lateFeesUnderClause(clause, a, asOf, options).totalMinor;
  };
  // warm up
  const warm = performance.now();
  while (performance.now() - warm < budgetMs / 4) run(10);
  // a batch of about 5 ms
  let batch = 1;
  for (;;) {
    const t = performance.now();
    run(batch);
    if (performance.now() - t > 5) break;
    batch *= 2;
  }
  const rounds: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs || rounds.length < 5) {
    const t = performance.now();
    run(batch);
    rounds.push(((performance.now() - t) * 1000) / batch);
  }
  rounds.sort((x, y) => x - y);
  return { label, median: rounds[rounds.length >> 1]!, best: rounds[0]!, calls: rounds.length * batch, total };
}

const rows = [];
for (const months of [24, 60]) {
  const a = account(months);
  const asOf = a.charges.at(-1)!.due + 45;
  rows.push(measure(`${months} charges, ${a.payments.length} payments, full detail`, BUILTIN_LATE_FEE, a, asOf, {}));
  rows.push(measure(`${months} charges, ${a.payments.length} payments, { detail: false }`, BUILTIN_LATE_FEE, a, asOf, { detail: false }));
  // deliver.ts's call: the policy's default order (art. 561), a holiday calendar, the notices.
  const art561 = { order: "costsLateFeePrincipal" as const, isWorkingDay: (d: number) => isoWeekday(d) < 6, notices: [{ on: asOf - 20, kind: "dunningNotice" }] };
  rows.push(measure(`${months} charges, ${a.payments.length} payments, art. 561 order, full detail`, BUILTIN_LATE_FEE, a, asOf, art561));
  rows.push(measure(`${months} charges, ${a.payments.length} payments, art. 561 order, { detail: false }`, BUILTIN_LATE_FEE, a, asOf, { ...art561, detail: false }));
}
const width = Math.max(...rows.map((r) => r.label.length));
console.log(`${"case".padEnd(width)}  ${"median µs".padStart(10)}  ${"best µs".padStart(8)}  ${"calls".padStart(8)}  total fee`);
for (const r of rows) console.log(`${r.label.padEnd(width)}  ${r.median.toFixed(2).padStart(10)}  ${r.best.toFixed(2).padStart(8)}  ${String(r.calls).padStart(8)}  ${r.total}`);
