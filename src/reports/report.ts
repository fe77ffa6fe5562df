/**
 * Ledger statistics (S3, S4: collection rate and arrears, per month and quarter): one pass over a
 * ledger, aggregating as it goes, so memory stays constant however many accounts it holds. Only
 * the lists a reader acts on (debts near their limitation date, skipped accounts) grow, with the
 * number of rows they report.
 */
import type { LedgerAdapter } from "../ledger/adapter.js";
import { checkSnapshot, unplannable } from "../ledger/plan.js";
import { estateSchedulerPicker, givenCurrency, policiesBySegment, sameCurrency, segmentOf, type EstatePolicies, type PolicyChoice, type Segment } from "../ledger/policy-choice.js";
import { formatAccountIssues, ledgerIssue } from "../ledger/account.js";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import { InvalidArgumentError, type Issue } from "../rules/errors.js";
import type { Policy } from "../rules/schema.js";
import type { Account } from "../ledger/account.js";
import { unpaidOldestFirst } from "../schedule/fees/allocation.js";
import { civilDate, civilOf, daysInMonth, epochDayOf, formatCivilDate, type EpochDay } from "../schedule/time/civil-date.js";
import { compilePolicy, type CompiledPolicy } from "../schedule/ladder/compile.js";
import { holdView } from "../schedule/ladder/holds.js";
import type { DisputeSeverity } from "../schedule/ladder/hold-types.js";
import { DoneLog } from "../schedule/ladder/log.js";
import { limitationDaysOf } from "../schedule/fees/money.js";
import type { HoldReview } from "../schedule/ladder/hold-review.js";
import { reviewCollector } from "./review.js";
import { TerminalTally, type TerminalRow } from "./terminal.js";
import { StageTally, type StageRow } from "./stages.js";
import { LimitationList, type LimitationDebt } from "./limitation.js";
import { basisPoints, MonthlyTally, targetBasisPoints, type MonthRate } from "./monthly.js";

export { basisPoints, targetBasisPoints, type MonthRate } from "./monthly.js";
export type { StageRow } from "./stages.js";
export type { LimitationDebt } from "./limitation.js";

export interface ReportOptions {
  /** The report day, `YYYY-MM-DD`: payments, actions and holds up to and including it count. */
  asOf: string;
  /** Charges due in this range (inclusive) make up the collection rate; default: the calendar month of `asOf`. */
  period?: { from: string; to: string };
  /** One policy or one per segment (`PolicyChoice`); default: the built-in of each account's segment. With `estates`: the policy of a segment in an estate `estates` does not cover. The policies given (here and in `estates`) must share one currency: else an `InvalidArgumentError`, code `mixed_currency` (the report adds their amounts). */
  policy?: PolicyChoice;
  /**
   * A policy per estate and segment, chosen by the account's `estate` as `plan()` chooses it
   * (`PlanOptions.estates`): the estate's policy for the account's segment, else `policy`'s; an
   * account with neither is skipped (`no_policy`, path `estate`), never counted under a built-in.
   * Each account's stages, terminal state, limitation dates and review are judged by its own
   * policy; the stages section shows each estate's own ladder as its own group (`StageRow.estate`).
   */
  estates?: EstatePolicies;
  /** Debts whose limitation date falls within this many days of `asOf` are listed; default 180. */
  limitationWithinDays?: number;
  /** The collection rate aimed at, in percent (`95`, `92.5`): drawn against the months; default none. */
  targetPercent?: number;
  /** How many months the month-by-month collection rate shows, ending with the month of `period.to`; default 12. */
  months?: number;
}

/** Billed against paid, for the charges due in the period. */
export interface CollectionRate {
  charges: number;
  billedMinor: number;
  /** What of those charges was paid by `asOf`, payments allocated oldest due first. */
  paidMinor: number;
  unpaidMinor: number;
  /** paid / billed; `null` when nothing was billed. */
  rate: number | null;
  /** The rate in basis points (1/100 of a percent), rounded half up; `null` when nothing was billed. */
  basisPoints: number | null;
}

export interface AgingBucket {
  label: string;
  /** Days overdue, inclusive bounds; `maxDays` null for the open-ended last bucket. */
  minDays: number;
  maxDays: number | null;
  /** Unpaid overdue charges in the bucket. */
  charges: number;
  /** Accounts whose oldest unpaid overdue charge is in the bucket. */
  accounts: number;
  /** Unpaid amount of the bucket's charges. */
  amountMinor: number;
}

export interface HoldsSummary {
  /** Accounts with at least one hold in force. */
  accounts: number;
  overdueMinor: number;
  /** Open disputes (opened by `asOf`, not resolved), by severity. */
  disputes: Record<DisputeSeverity, number>;
  /** Installment plans agreed, not cancelled, and not broken on `asOf`. */
  installmentPlans: number;
  /** Promises to pay made by `asOf` whose promised date is still ahead. */
  promises: number;
  /** Manual holds in force on `asOf`. */
  manual: number;
}

export interface SkippedAccount {
  accountId: string;
  /** What is wrong, as data (`code`, `path`, `message`). */
  issues: Issue[];
  /** The issues printed, for a log line. */
  reason: string;
}

export interface Report {
  asOf: string;
  period: { from: string; to: string };
  currency: { code: string; minorDigits: number };
  accounts: { read: number; reported: number; skipped: number; withOverdue: number; overdueMinor: number };
  collection: CollectionRate & { bySegment: ({ segment: Segment } & CollectionRate)[] };
  /** The collection rate month by month (charges due in each month, paid by `asOf`), oldest first, and the target aimed at. */
  monthly: { targetBasisPoints: number | null; months: MonthRate[] };
  aging: AgingBucket[];
  /** Accounts with an overdue balance by their last recorded action's stage, in ladder order (`StageRow`, src/reports/stages.ts). */
  stages: StageRow[];
  /** Accounts with an overdue balance and no recorded action by `asOf`. */
  neverActioned: { accounts: number; overdueMinor: number };
  holds: HoldsSummary;
  /** Accounts at the end of the road (a terminal stage carried out, not reopened), by terminal state; empty when no policy used names a terminal stage. */
  terminal: TerminalRow[];
  limitation: {
    withinDays: number;
    /** Unpaid charges whose limitation date is between `asOf` and `asOf + withinDays`, earliest first; written-off charges are not listed. */
    debts: LimitationDebt[];
    /** Unpaid charges whose limitation date has already passed, written-off ones left out. */
    expired: { charges: number; unpaidMinor: number };
  };
  /** Actions recorded inside a hold that pauses them (a hold recorded after the fact), for a person's review, by account in ledger order, each earliest first. */
  review: HoldReview[];
  skipped: SkippedAccount[];
}

const BUCKETS: readonly [string, number, number | null][] = [
  ["0-30", 0, 30],
  ["31-90", 31, 90],
  ["91-180", 91, 180],
  ["181-365", 181, 365],
  ["over 365", 366, null],
];

function bucketOf(days: number): number {
  for (let i = 0; i < BUCKETS.length; i++) {
    const max = BUCKETS[i]![2];
    if (max === null || days <= max) return i;
  }
  return BUCKETS.length - 1;
}

function rateOf(charges: number, billed: number, paid: number): CollectionRate {
  return { charges, billedMinor: billed, paidMinor: paid, unpaidMinor: billed - paid, rate: billed > 0 ? paid / billed : null, basisPoints: basisPoints(paid, billed) };
}

function periodOf(asOf: EpochDay, period: ReportOptions["period"]): { from: EpochDay; to: EpochDay } {
  if (period) {
    const from = civilDate(period.from);
    const to = civilDate(period.to);
    if (to < from) throw new InvalidArgumentError("invalid_range", "period.to", `period: ${period.to} is before ${period.from}`);
    return { from, to };
  }
  const [y, m] = civilOf(asOf);
  return { from: epochDayOf(y, m, 1), to: epochDayOf(y, m, daysInMonth(y, m)) };
}

interface Tally {
  charges: number;
  billed: number;
  paid: number;
}

/**
 * Reads the whole ledger once and returns its statistics on `asOf`.
 *
 * @example
 * // March: 900.00 billed (600.00 + 300.00), 600.00 of it paid: a collection rate of 2/3, in
 * // basis points 6,666.67, rounded to 6,667.
 * const ledger = memoryLedger([
 *   { id: "A-1", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 60000 }], payments: [{ id: "p1", on: "2026-03-10", amountMinor: 60000 }] },
 *   { id: "A-2", charges: [{ id: "c2", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] },
 * ]);
 * const report = await buildReport(ledger, { asOf: "2026-03-31" });
 * report.collection.basisPoints // => 6667
 */
export async function buildReport(ledger: LedgerAdapter, options: ReportOptions): Promise<Report> {
  const asOf = civilDate(options.asOf);
  const { from, to } = periodOf(asOf, options.period);
  const withinDays = options.limitationWithinDays ?? 180;
  if (!Number.isInteger(withinDays) || withinDays < 0) throw new InvalidArgumentError("invalid_number", "limitationWithinDays", `limitationWithinDays must be a whole number ≥ 0 (got ${withinDays})`);
  const months = options.months ?? 12;
  if (!Number.isInteger(months) || months < 1 || months > 120) throw new InvalidArgumentError("invalid_number", "months", `months must be a whole number from 1 to 120 (got ${months})`);
  const target = options.targetPercent === undefined ? null : targetBasisPoints(options.targetPercent);
  // The account's policy as plan() chooses it (src/ledger/policy-choice.ts): its estate's, else its segment's.
  const pick = estateSchedulerPicker(options.policy, options.estates);
  const chosen = policiesBySegment(options.policy);
  // One currency for every sum below: policies given in different currencies are refused (mixed_currency).
  const currency = givenCurrency(options.policy, options.estates) ?? parsePolicy(builtinPolicySource("residential"), "residential").currency;
  // The holds in force, by the scheduler's own rules: each policy compiled once.
  const compiled = new Map<Policy, CompiledPolicy>();
  const compiledOf = (policy: Policy): CompiledPolicy => {
    let c = compiled.get(policy);
    if (!c) compiled.set(policy, (c = compilePolicy(policy)));
    return c;
  };

  const total: Tally = { charges: 0, billed: 0, paid: 0 };
  const bySegment = new Map<Segment, Tally>();
  const aging = BUCKETS.map(() => ({ charges: 0, accounts: 0, amount: 0 }));
  const stages = new StageTally();
  const monthly = new MonthlyTally(to, months);
  const never = { accounts: 0, overdue: 0 };
  const holds: HoldsSummary = { accounts: 0, overdueMinor: 0, disputes: { major: 0, important: 0, minor: 0 }, installmentPlans: 0, promises: 0, manual: 0 };
  const limitations = new LimitationList(asOf, withinDays);
  const skipped: SkippedAccount[] = [];
  const review = reviewCollector();
  const terminal = new TerminalTally();
  let read = 0;
  let withOverdue = 0;
  let overdueTotal = 0;

  for await (const entry of ledger.accounts()) {
    read++;
    if (!entry.ok) {
      skipped.push({ accountId: entry.accountId, issues: entry.issues, reason: entry.reason });
      continue;
    }
    const checked = checkSnapshot(entry.account);
    if (!checked.ok) {
      skipped.push({ accountId: checked.accountId, issues: checked.issues, reason: checked.reason });
      continue;
    }
    const segment = segmentOf(checked.account.snapshot.segment);
    // Everything that can throw comes first, so a skipped account leaves no partial trace.
    let limitation;
    let policy: Policy;
    // The account as planning reads it: recorded actions of an older version in this one's terms
    // (its `continues`), skipped with plan's own issue when a stage no version names would be
    // planned. Every count below reads this, so that report and plan agree.
    let account: Account;
    let estate: string | undefined;
    try {
      const scheduler = pick(segment, checked.account.snapshot.estate);
      if (!("currentOn" in scheduler)) {
        skipped.push({ accountId: checked.account.id, issues: [scheduler], reason: formatAccountIssues(checked.account.id, [scheduler]) });
        continue;
      }
      policy = scheduler.policy;
      // A segment no given policy covers follows its built-in (CNY): not the report's currency when
      // the policies given count another. Its amounts cannot be added: reported, never summed.
      if (!sameCurrency(policy.currency, currency)) {
        const issue = ledgerIssue("mixed_currency", "segment", `a ${segment} unit follows policy ${policy.id} in ${policy.currency.code}, and the report counts ${currency.code} (the policies given): give a ${segment} policy in ${currency.code}`);
        skipped.push({ accountId: checked.account.id, issues: [issue], reason: formatAccountIssues(checked.account.id, [issue]) });
        continue;
      }
      // Its estate's own ladder, when the estate's policy is not the segment's (src/reports/stages.ts).
      if (options.estates !== undefined && typeof checked.account.snapshot.estate === "string" && policy !== chosen[segment]) estate = checked.account.snapshot.estate;
      account = scheduler.currentOn(checked.account, asOf);
      limitation = limitationDaysOf(policy, account, asOf);
    } catch (error) {
      skipped.push({ accountId: checked.account.id, ...unplannable(checked.account.id, error) });
      continue;
    }

    const stageGroup = stages.group(segment, estate, compiledOf(policy));
    const unpaidOf = unpaidOldestFirst(account.charges, account.payments, asOf);
    let seg = bySegment.get(segment);
    if (!seg) bySegment.set(segment, (seg = { charges: 0, billed: 0, paid: 0 }));
    let overdue = 0;
    let oldestBucket = -1;
    const unpaidById = new Map<string, number>();
    account.charges.forEach((c, i) => {
      const unpaid = unpaidOf[i]!;
      if (c.due >= from && c.due <= to) {
        for (const t of [total, seg!]) (t.charges++, (t.billed += c.amount), (t.paid += c.amount - unpaid));
      }
      monthly.add(c.due, c.amount, unpaid);
      if (unpaid > 0) unpaidById.set(c.id, unpaid);
      if (unpaid > 0 && c.due < asOf) {
        overdue += unpaid;
        const b = bucketOf(asOf - c.due);
        const bucket = aging[b]!;
        bucket.charges++;
        bucket.amount += unpaid;
        if (oldestBucket < 0) oldestBucket = b; // charges are oldest due first
      }
    });
    if (oldestBucket >= 0) aging[oldestBucket]!.accounts++;

    if (overdue > 0) {
      withOverdue++;
      overdueTotal += overdue;
      let last: Account["actions"][number] | undefined;
      for (const a of account.actions) if (a.on <= asOf) last = a; // sorted by day, then id
      if (last) stages.add(stageGroup, last.stage, overdue);
      else {
        never.accounts++;
        never.overdue += overdue;
      }
    }

    // Nothing carried out is needed to tell which holds are in force: an empty log will do.
    const rules = account.holds.length === 0 ? undefined : compiledOf(policy);
    const inForce = rules ? holdView(rules, account, asOf, new DoneLog(rules)).inForce : [];
    if (inForce.length > 0) {
      holds.accounts++;
      holds.overdueMinor += overdue;
      for (const h of inForce) {
        if (h.type === "dispute") holds.disputes[h.severity]++;
        else if (h.type === "installmentPlan") holds.installmentPlans++;
        else if (h.type === "promiseToPay") holds.promises++;
        else holds.manual++;
      }
    }
    if (rules) review.add(rules, account, asOf);

    const writtenOffOn = terminal.add(compiledOf(policy), account, asOf, overdue);

    limitations.add(account, limitation, unpaidById, writtenOffOn);
  }

  return {
    asOf: formatCivilDate(asOf),
    period: { from: formatCivilDate(from), to: formatCivilDate(to) },
    currency: { code: currency.code, minorDigits: currency.minorDigits },
    accounts: { read, reported: read - skipped.length, skipped: skipped.length, withOverdue, overdueMinor: overdueTotal },
    collection: {
      ...rateOf(total.charges, total.billed, total.paid),
      bySegment: [...bySegment.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([segment, t]) => ({ segment, ...rateOf(t.charges, t.billed, t.paid) })),
    },
    monthly: { targetBasisPoints: target, months: monthly.result },
    aging: BUCKETS.map(([label, minDays, maxDays], i) => ({ label, minDays, maxDays, charges: aging[i]!.charges, accounts: aging[i]!.accounts, amountMinor: aging[i]!.amount })),
    stages: stages.rows(),
    neverActioned: { accounts: never.accounts, overdueMinor: never.overdue },
    holds,
    terminal: terminal.result,
    limitation: { withinDays, debts: limitations.result, expired: limitations.expired },
    review: review.items,
    skipped,
  };
}
