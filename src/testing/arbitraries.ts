/**
 * fast-check arbitraries for property-based tests of a policy: accounts, ledgers, histories,
 * simulation scenarios and valid policies. Dates are always real civil dates within 2023–2032,
 * money is always integer minor units.
 */
import fc from "fast-check";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot, ChargeSnapshot, PaymentSnapshot, RecordedAction } from "../ledger/account.js";
import { civilDate, dayOfMonth, formatCivilDate, parsePeriod } from "../schedule/time/civil-date.js";
import { actionId } from "../schedule/ladder/action.js";
import { renameAccount, simulationWindow } from "./ledger.js";

export { policyArb, type PolicyArbOptions } from "./policy-arb.js";

export interface AccountArbOptions {
  /** The account's segment; `any` (the default) picks residential, commercial or none. */
  segment?: "residential" | "commercial" | "any";
  /** At most this many monthly charges (1–24, default 24). */
  maxMonths?: number;
  /** Range of the first billing period, `YYYY-MM` (default 2024-01 to 2027-12). */
  firstPeriod?: readonly [string, string];
  /** Largest charge, in minor units (default 500,000). */
  maxAmountMinor?: number;
  /** Owner tags are drawn from this pool (default elderly, disabled, hardship, tenant, vip). */
  tagPool?: readonly string[];
  /** When given, the account may hold up to six recorded actions naming these stages. */
  stages?: readonly string[];
}

export const DEFAULT_TAG_POOL: readonly string[] = ["elderly", "disabled", "hardship", "tenant", "vip"];
const NAMES = ["王芳", "李伟", "张敏", "刘洋", "陈静", "Alex Smith", ""];

type PaymentPlan =
  | { mode: "none" }
  | { mode: "full"; offset: number }
  | { mode: "partial"; offset: number; permille: number }
  | { mode: "over"; offset: number; extra: number };

/** Days from a charge's due date to its payment: mostly soon, sometimes very late. */
const offsetArb = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -20, max: 60 }) }, { weight: 1, arbitrary: fc.integer({ min: 61, max: 420 }) });

const paymentPlanArb: fc.Arbitrary<PaymentPlan> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ mode: "none" as const }) },
  { weight: 3, arbitrary: fc.record({ mode: fc.constant("full" as const), offset: offsetArb }) },
  { weight: 2, arbitrary: fc.record({ mode: fc.constant("partial" as const), offset: offsetArb, permille: fc.integer({ min: 1, max: 999 }) }) },
  { weight: 1, arbitrary: fc.record({ mode: fc.constant("over" as const), offset: offsetArb, extra: fc.integer({ min: 1, max: 1000 }) }) },
);

function periodText(month: number): string {
  return `${String(Math.floor(month / 12)).padStart(4, "0")}-${String((month % 12) + 1).padStart(2, "0")}`;
}

/**
 * One unit's account: monthly charges over 1–24 consecutive months (due on the 1st, or on one
 * day 1–28 of each billing month), each paid in full, in part, not at all or over-paid on a day
 * near or long after its due date, a few lump payments, an owner with a name and tags from a
 * pool, and (with `stages`) a few recorded actions.
 */
export function accountArb(options: AccountArbOptions = {}): fc.Arbitrary<AccountSnapshot> {
  const maxMonths = Math.min(24, Math.max(1, options.maxMonths ?? 24));
  const [lo, hi] = options.firstPeriod ?? ["2024-01", "2027-12"];
  const minMonth = parsePeriod(lo) ?? parsePeriod("2024-01")!;
  const maxMonth = Math.max(minMonth, parsePeriod(hi) ?? parsePeriod("2027-12")!);
  const maxAmount = Math.max(1, options.maxAmountMinor ?? 500_000);
  const amountArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 12, arbitrary: fc.integer({ min: 1, max: maxAmount }) });
  const segmentArb =
    options.segment === undefined || options.segment === "any"
      ? fc.constantFrom<AccountSnapshot["segment"]>("residential", "commercial", undefined)
      : fc.constant(options.segment);
  const stages = options.stages ?? [];
  type Recorded = { stage: string; charge: number; offset: number; covers: boolean };
  const historyArb: fc.Arbitrary<Recorded[]> =
    stages.length === 0
      ? fc.constant([])
      : fc.array(
          fc.record({ stage: fc.constantFrom(...stages), charge: fc.nat({ max: 23 }), offset: fc.integer({ min: -10, max: 600 }), covers: fc.boolean() }),
          { maxLength: 6 },
        );
  return fc
    .record({
      n: fc.integer({ min: 1, max: 9999 }),
      segment: segmentArb,
      firstMonth: fc.integer({ min: minMonth, max: maxMonth }),
      dueDay: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 28 })),
      months: fc.array(fc.record({ amount: amountArb, pay: paymentPlanArb }), { minLength: 1, maxLength: maxMonths, size: "max" }),
      lumps: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 800 }), amount: fc.integer({ min: 1, max: maxAmount }) }), { maxLength: 2 }),
      name: fc.constantFrom(...NAMES),
      tags: fc.subarray([...(options.tagPool ?? DEFAULT_TAG_POOL)]),
      unit: fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 101, max: 3304 })),
      history: historyArb,
    })
    .map((r): AccountSnapshot => {
      const id = `A-${r.n}`;
      const charges: ChargeSnapshot[] = r.months.map((m, i) => {
        const month = r.firstMonth + i;
        return { id: `c${i}`, period: periodText(month), dueOn: formatCivilDate(dayOfMonth(month, r.dueDay)), amountMinor: m.amount };
      });
      const firstDue = civilDate(charges[0]!.dueOn);
      const payments: PaymentSnapshot[] = [];
      r.months.forEach((m, i) => {
        const p = m.pay;
        if (p.mode === "none") return;
        const amount = p.mode === "full" ? m.amount : p.mode === "over" ? m.amount + p.extra : Math.floor((m.amount * p.permille) / 1000);
        if (amount > 0) payments.push({ id: `p${i}`, on: formatCivilDate(civilDate(charges[i]!.dueOn) + p.offset), amountMinor: amount });
      });
      r.lumps.forEach((l, i) => payments.push({ id: `x${i}`, on: formatCivilDate(firstDue + l.offset), amountMinor: l.amount }));
      const actions: RecordedAction[] = r.history.map((h) => {
        const key = `${h.stage}@c${h.charge % charges.length}`;
        return { id: actionId(id, key), stage: h.stage, on: formatCivilDate(firstDue + h.offset), ...(h.covers ? { covers: [key] } : {}) };
      });
      return {
        id,
        ...(r.segment ? { segment: r.segment } : {}),
        unit: `${r.unit[0]}-${r.unit[1]}-${r.unit[2]}`,
        owner: { ...(r.name ? { name: r.name } : {}), tags: r.tags },
        charges,
        payments,
        actions,
      };
    });
}

/** A ledger: 1–`maxAccounts` (default 20) accounts with distinct ids `A-0001`, `A-0002`, … */
export function ledgerArb(options: AccountArbOptions & { maxAccounts?: number } = {}): fc.Arbitrary<AccountSnapshot[]> {
  return fc
    .array(accountArb(options), { minLength: 1, maxLength: Math.max(1, options.maxAccounts ?? 20) })
    .map((accounts) => accounts.map((a, i) => renameAccount(a, `A-${String(i + 1).padStart(4, "0")}`)));
}

/** One thing that happens to an account on a day. */
export type HistoryEvent =
  | { on: string; type: "charge"; charge: ChargeSnapshot }
  | { on: string; type: "payment"; payment: PaymentSnapshot }
  | { on: string; type: "action"; action: RecordedAction };

/** An account's life as a day-by-day sequence of events; `account` holds who it is. */
export interface History {
  account: Omit<AccountSnapshot, "charges" | "payments" | "actions">;
  events: HistoryEvent[];
}

const EVENT_ORDER = { charge: 0, payment: 1, action: 2 } as const;

/** An account's life as events in day order: each charge billed on the 1st of its period, payments, recorded actions. */
export function historyArb(options: AccountArbOptions = {}): fc.Arbitrary<History> {
  return accountArb(options).map(({ charges, payments, actions, ...who }) => {
    const events: HistoryEvent[] = [
      ...charges.map((charge) => {
        const billed = Math.min(dayOfMonth(parsePeriod(charge.period)!, 1), civilDate(charge.dueOn));
        return { on: formatCivilDate(billed), type: "charge" as const, charge };
      }),
      ...(payments ?? []).map((payment) => ({ on: payment.on, type: "payment" as const, payment })),
      ...(actions ?? []).map((action) => ({ on: action.on, type: "action" as const, action })),
    ];
    events.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : EVENT_ORDER[a.type] - EVENT_ORDER[b.type]));
    return { account: who, events };
  });
}

/** The ledger as it stood at the end of `asOf`: every event on or before that day. */
export function ledgerAsOf(history: History, asOf: string): AccountSnapshot {
  const account: AccountSnapshot = { ...history.account, charges: [], payments: [], actions: [] };
  for (const e of history.events) {
    if (e.on > asOf) break;
    if (e.type === "charge") account.charges.push(e.charge);
    else if (e.type === "payment") account.payments!.push(e.payment);
    else account.actions!.push(e.action);
  }
  return account;
}

/** What one simulation plans: an account over `from`–`to`. */
export interface Scenario {
  account: AccountSnapshot;
  from: string;
  to: string;
}

export interface ScenarioOptions {
  account?: AccountArbOptions;
  /** Sometimes start planning part-way through the account's life (default true). */
  lateStart?: boolean;
  /** Keep random recorded actions before the start: a vendor's messy history (default false). */
  history?: boolean;
}

/**
 * An account and the window to plan it over (see `simulationWindow`). With `lateStart`, one run
 * in three starts part-way through, so the scheduler must catch up; with `history`, actions
 * recorded before the start (random stages of `policy`, on random days) stay in the ledger.
 */
export function scenarioArb(policy: Policy, options: ScenarioOptions = {}): fc.Arbitrary<Scenario> {
  const stages = options.history ? policy.stages.map((s) => s.id) : [];
  const startArb = options.lateStart === false ? fc.constant(0) : fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 999 }) });
  return fc.tuple(accountArb({ ...options.account, stages }), startArb).map(([account, permille]): Scenario => {
    const window = simulationWindow(policy, account);
    const first = civilDate(window.from);
    const from = formatCivilDate(first + Math.floor(((civilDate(window.to) - first) * permille) / 1000));
    const actions = (account.actions ?? []).filter((a) => a.on < from);
    return { account: { ...account, actions }, from, to: window.to };
  });
}
