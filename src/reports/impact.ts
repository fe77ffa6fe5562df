/**
 * What publishing a new policy version does to the next days (issue 18, item 1), before an
 * estate signs it: for each account, the scheduler's own forecast under the version in force and
 * under the new one, from the same day with the same recorded actions, compared stage instance by
 * stage instance. An instance (`stage@anchor`) of the older version is read in the new one's
 * terms through its `continues` (a renamed stage is the same warning); one planned only by the
 * new version is added, one only by the old is removed, one planned by both on different days is
 * moved. Pure: no clock; the forecast is `Scheduler.forecast`, not a planner of its own.
 */
import type { AccountSnapshot } from "../ledger/account.js";
import { InvalidArgumentError, type Issue } from "../rules/errors.js";
import type { Policy } from "../rules/schema.js";
import type { StageKind } from "../rules/kinds.js";
import { keyOfActionId, type PlannedAction } from "../schedule/ladder/action.js";
import { compileScheduler, toAccount } from "../schedule/ladder/scheduler.js";
import { unplannable } from "../ledger/plan.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";

/** The horizon unless told: the next 90 days (the issue's "what the change does to the next 90 days"). */
export const DEFAULT_IMPACT_DAYS = 90;

export interface ImpactOptions {
  /** The first day compared, `YYYY-MM-DD`: actions recorded before it count for both versions. */
  asOf: string;
  /** How many days, `asOf` included (default 90). */
  days?: number;
}

/** One planned stage instance: its key in the new version's terms, its stage and kind, its day. */
export interface ImpactAction {
  key: string;
  stage: string;
  kind: StageKind;
  on: string;
}

/** One instance planned by both versions on different days; `stage` is the new version's, `formerly` the old one's when it was renamed. */
export interface ImpactMove {
  key: string;
  stage: string;
  formerly?: string;
  kind: StageKind;
  from: string;
  to: string;
}

export interface AccountImpact {
  accountId: string;
  added: ImpactAction[];
  removed: ImpactAction[];
  moved: ImpactMove[];
  /** Instances planned by both on the same day. */
  unchanged: number;
}

export interface ImpactTotals {
  /** Accounts compared (skipped ones not counted). */
  accounts: number;
  /** Accounts with at least one action added, removed or moved. */
  changed: number;
  added: number;
  removed: number;
  moved: number;
  unchanged: number;
  skipped: number;
}

export interface PolicyImpact {
  from: { id: string; version: string };
  to: { id: string; version: string };
  asOf: string;
  /** The last day compared, inclusive. */
  through: string;
  days: number;
  /** The accounts the change touches, in the order given; an unchanged account is only counted. */
  accounts: AccountImpact[];
  /** Accounts that could not be compared, with why (a recorded stage neither version names, a malformed snapshot). */
  skipped: { accountId: string; issues: Issue[] }[];
  totals: ImpactTotals;
}

/** Compares accounts one at a time (a ledger streamed in constant memory, but for the changed accounts kept). */
export interface ImpactCollector {
  /** The account's impact, or why it was skipped. */
  add(account: AccountSnapshot): { ok: true; impact: AccountImpact } | { ok: false; accountId: string; issues: Issue[] };
  result(): PolicyImpact;
}

export function impactCollector(from: Policy, to: Policy, options: ImpactOptions): ImpactCollector {
  const days = options.days ?? DEFAULT_IMPACT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new InvalidArgumentError("invalid_number", "days", `days: must be a whole number from 1 to 3660 (got ${days})`);
  const start = civilDate(options.asOf);
  const through = formatCivilDate(start + days - 1);
  const before = compileScheduler(from);
  const after = compileScheduler(to);
  // An older stage, in the new version's terms: itself when kept, its successor, or gone (null).
  const renamed = new Map<string, string | null>(Object.entries(to.continues?.stages ?? {}));
  const kept = new Set(to.stages.map((s) => s.id));
  const inNewTerms = (key: string): string | null => {
    const at = key.indexOf("@");
    const stage = key.slice(0, at);
    if (kept.has(stage) || !renamed.has(stage)) return key;
    const now = renamed.get(stage);
    return now === null || now === undefined ? null : `${now}${key.slice(at)}`;
  };
  const accounts: AccountImpact[] = [];
  const skipped: { accountId: string; issues: Issue[] }[] = [];
  const totals: ImpactTotals = { accounts: 0, changed: 0, added: 0, removed: 0, moved: 0, unchanged: 0, skipped: 0 };

  return {
    add(input) {
      let old: PlannedAction[];
      let now: PlannedAction[];
      let accountId = input.id;
      try {
        const account = toAccount(input);
        accountId = account.id;
        old = before.forecast(account, options.asOf, through);
        now = after.forecast(account, options.asOf, through);
      } catch (error) {
        // As plan() does: what planning one account throws is that account's issue (its issues
        // as data for an AccountError, such as a recorded stage neither version names).
        const { issues } = unplannable(accountId, error);
        skipped.push({ accountId, issues });
        totals.skipped++;
        return { ok: false, accountId, issues };
      }
      const impact = compare(accountId, old, now, inNewTerms);
      totals.accounts++;
      totals.added += impact.added.length;
      totals.removed += impact.removed.length;
      totals.moved += impact.moved.length;
      totals.unchanged += impact.unchanged;
      if (impact.added.length + impact.removed.length + impact.moved.length > 0) {
        totals.changed++;
        accounts.push(impact);
      }
      return { ok: true, impact };
    },
    result: () => ({ from: { id: from.id, version: from.version }, to: { id: to.id, version: to.version }, asOf: options.asOf, through, days, accounts, skipped, totals: { ...totals } }),
  };
}

/**
 * What changes for `accounts` over the next `days` (default 90) from `asOf` when `to` replaces
 * `from`.
 *
 * @example
 * const from = parsePolicy(builtinPolicySource("residential"));
 * // The same text as a new version whose final notice comes on day 5 of the next month.
 * const to = { ...from, id: "green-garden", version: "2026.3", stages: from.stages.map((s) => s.id === "final_notice" ? { ...s, trigger: { ...s.trigger, day: 5 } } : s) };
 * const account = { id: "A-1201", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }] };
 * policyImpact(from, to, [account], { asOf: "2026-03-20" }).accounts[0].moved // => [{ key: "final_notice@c1", stage: "final_notice", kind: "finalNotice", from: "2026-04-25", to: "2026-04-05" }]
 */
export function policyImpact(from: Policy, to: Policy, accounts: Iterable<AccountSnapshot>, options: ImpactOptions): PolicyImpact {
  const collector = impactCollector(from, to, options);
  for (const account of accounts) collector.add(account);
  return collector.result();
}

function compare(accountId: string, old: readonly PlannedAction[], now: readonly PlannedAction[], inNewTerms: (key: string) => string | null): AccountImpact {
  const keyOf = (a: PlannedAction) => keyOfActionId(accountId, a.id) ?? `${a.stage}@`;
  const planned = new Map<string, PlannedAction>();
  for (const a of now) if (!planned.has(keyOf(a))) planned.set(keyOf(a), a);
  const impact: AccountImpact = { accountId, added: [], removed: [], moved: [], unchanged: 0 };
  const matched = new Set<string>();
  for (const a of old) {
    const oldKey = keyOf(a);
    const key = inNewTerms(oldKey);
    const b = key === null || matched.has(key) ? undefined : planned.get(key);
    if (!b) {
      impact.removed.push({ key: oldKey, stage: a.stage, kind: a.kind, on: a.plannedOn });
      continue;
    }
    matched.add(key!);
    if (b.plannedOn === a.plannedOn) impact.unchanged++;
    else impact.moved.push({ key: key!, stage: b.stage, ...(b.stage !== a.stage ? { formerly: a.stage } : {}), kind: b.kind, from: a.plannedOn, to: b.plannedOn });
  }
  for (const [key, b] of planned) if (!matched.has(key)) impact.added.push({ key, stage: b.stage, kind: b.kind, on: b.plannedOn });
  return impact;
}
