/**
 * Cost of `dueActions` per account: synthetic accounts with 24 months of history, planned in
 * memory on one core. Run: npx tsx bench/due-actions.ts [accounts]
 */
import { builtinPolicySource } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import { type Account, type AccountSnapshot } from "../src/ledger/account.js";
import { normalizeAccount } from "../src/ledger/check-account.js";
import { civilDate } from "../src/schedule/time/civil-date.js";
import { compileScheduler } from "../src/schedule/ladder/scheduler.js";

const n = Number(process.argv[2] ?? 100_000);
const asOf = civilDate("2026-11-23");

/** Deterministic mix: most accounts paid up with a full action log, some in arrears. */
function synthetic(i: number): AccountSnapshot {
  const charges = [];
  const payments = [];
  const actions = [];
  const debtor = i % Number(process.env.DEBTOR_EVERY ?? 10) === 0;
  for (let m = 0; m < 24; m++) {
    const y = 2024 + Math.floor((m + 11) / 12);
    const mo = ((m + 11) % 12) + 1;
    const period = `${y}-${String(mo).padStart(2, "0")}`;
    charges.push({ id: period, period, dueOn: `${period}-01`, amountMinor: 25000 + (i % 50) * 100 });
    actions.push({ id: `A${i}:billing_notice@${period}`, stage: "billing_notice", on: `${period}-01`, covers: [`billing_notice@${period}`] });
    if (!debtor || m < 12) payments.push({ id: `p${m}`, on: `${period}-${String(5 + (i % 15)).padStart(2, "0")}`, amountMinor: 25000 + (i % 50) * 100 });
  }
  return { id: `A${i}`, segment: "residential", charges, payments, actions };
}

const scheduler = compileScheduler(parsePolicy(builtinPolicySource("residential")));
const accounts: Account[] = [];
for (let i = 0; i < n; i++) {
  const r = normalizeAccount(synthetic(i));
  if (r.ok) accounts.push(r.account);
}
let actions = 0;
for (let i = 0; i < Math.min(n, 10_000); i++) scheduler.dueActionsOn(accounts[i]!, asOf); // warm up
const t0 = process.hrtime.bigint();
for (const a of accounts) actions += scheduler.dueActionsOn(a, asOf).length;
const ns = Number(process.hrtime.bigint() - t0);
console.log(`accounts ${n}, actions ${actions}, ${(ns / n / 1000).toFixed(2)} µs/account, ${Math.round(n / (ns / 1e9)).toLocaleString("en-US")} accounts/s`);
