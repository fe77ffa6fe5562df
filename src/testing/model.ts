/**
 * A model-based test (`fc.commands`): one account lives through random months. Days pass and a
 * charge is billed on the 1st of each month; full, partial, over-, oldest-charge and instalment
 * payments arrive; owner tags change; disputes open and close, promises to pay and installment
 * plans are made, then kept or broken (./model-holds.ts); each day's actions are carried out and
 * recorded, except on a day the vendor misses. Every day, planning again after recording must
 * yield nothing; after every command, every check runs over the whole life so far.
 */
import fc from "fast-check";
import type { AccountSnapshot } from "../ledger/account.js";
import { dayOfMonth, formatCivilDate, monthIndexOfDay, parsePeriod } from "../schedule/time/civil-date.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { DEFAULT_TAG_POOL } from "./arbitraries.js";
import { escalation, ladderOrder, onePerDay, privacy, type Finding } from "./checks.js";
import { checkParameters, failure, type Invariant, type Scope } from "./define.js";
import { balancesOn, chargesInPayOrder, recordOf } from "./ledger.js";
import { HOLD_CHECKS, holdCommands, nextInstalmentMinor } from "./model-holds.js";
import { tomorrow, verify, Violated, type Model, type ModelCheck, type Real } from "./model-life.js";

class PassDays implements fc.Command<Model, Real> {
  constructor(readonly days: number, readonly missOn: number) {}
  check(m: Readonly<Model>): boolean {
    return m.day < m.end;
  }
  run(m: Model, r: Real): void {
    for (let i = 0; i < this.days; i++) {
      const day = formatCivilDate((r.day = ++m.day));
      const month = monthIndexOfDay(r.day);
      if (dayOfMonth(month, 1) === r.day) {
        const n = r.account.charges.length;
        r.account.charges.push({ id: `c${n}`, period: day.slice(0, 7), dueOn: formatCivilDate(dayOfMonth(month, r.dueDay)), amountMinor: r.amount + (n % 3) * 1000 });
      }
      const actions = r.scheduler.dueActions({ ...r.account, actions: r.log }, day);
      r.planned.push(...actions);
      if (i === this.missOn || actions.length === 0) continue;
      for (const a of actions) r.log.push(recordOf(a, day));
      r.carried.push(...actions);
      const again = r.scheduler.dueActions({ ...r.account, actions: r.log }, day);
      if (again.length > 0) throw new Violated({ asOf: day, error: `planned ${again.map((a) => a.id).join(", ")} again on ${day} after recording that day's actions` });
    }
    verify(r);
  }
  toString(): string {
    return `pass ${this.days} day(s)${this.missOn >= 0 && this.missOn < this.days ? `, day ${this.missOn + 1}'s actions not carried out` : ""}`;
  }
}

type PayMode = "full" | "partial" | "over" | "oldest" | "instalment";

/** A payment that arrives overnight: it counts from the next day planned. */
class Pay implements fc.Command<Model, Real> {
  constructor(readonly mode: PayMode, readonly permille: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const on = tomorrow(m);
    const b = balancesOn(r.account, on);
    const oldest = chargesInPayOrder(r.account).find((c) => (b.unpaid.get(c.id) ?? 0) > 0);
    const amount =
      this.mode === "full" ? b.unpaidMinor
      : this.mode === "over" ? b.unpaidMinor + 1 + this.permille
      : this.mode === "partial" ? Math.floor((b.unpaidMinor * this.permille) / 1000)
      : this.mode === "instalment" ? nextInstalmentMinor(r.account, on)
      : oldest ? b.unpaid.get(oldest.id)! : 0;
    if (amount <= 0) return;
    const payments = (r.account.payments ??= []);
    payments.push({ id: `p${payments.length}`, on, amountMinor: amount });
    verify(r);
  }
  toString(): string {
    return this.mode === "partial" ? `pay ${this.permille / 10}% of what is unpaid` : this.mode === "instalment" ? "pay the latest plan's next instalment" : `pay ${this.mode}`;
  }
}

class ToggleTag implements fc.Command<Model, Real> {
  constructor(readonly tag: string) {}
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Real): void {
    const tags = r.account.owner?.tags ?? [];
    r.account.owner = { ...r.account.owner, tags: tags.includes(this.tag) ? tags.filter((t) => t !== this.tag) : [...tags, this.tag] };
    verify(r);
  }
  toString(): string {
    return `toggle tag ${this.tag}`;
  }
}

export interface ModelInvariantOptions {
  /** Also run the policy-level checks (escalation, privacy) at every step (default true). */
  policyChecks?: boolean;
  /** At most this many commands per run (default 40). */
  maxCommands?: number;
}

/** The model-based invariant; `policyChecks: false` keeps only what every valid policy must keep. */
export function createModelInvariant(options: ModelInvariantOptions = {}): Invariant {
  const withPolicy = options.policyChecks !== false;
  const name = withPolicy ? "model" : "model-engine";
  const scope: Scope = withPolicy ? "policy" : "engine";
  const description = `Random months of one account (days pass, charges fall due, payments, tag changes, disputes, promises to pay, installment plans, missed days); every ${withPolicy ? "" : "engine "}check after every step.`;
  const checks: Array<[ModelCheck, "planned" | "carried"]> = [
    [ladderOrder, "carried"],
    [onePerDay, "carried"],
    ...HOLD_CHECKS,
    ...(withPolicy ? ([[escalation, "carried"], [privacy, "planned"]] as Array<[ModelCheck, "planned" | "carried"]>) : []),
  ];
  const tagPool = [...DEFAULT_TAG_POOL];
  const passDays = fc
    .tuple(
      fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 10 }) }, { weight: 3, arbitrary: fc.integer({ min: 11, max: 90 }) }),
      fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 89 }) }),
    )
    .map(([d, miss]) => new PassDays(d, miss));
  const commands = fc.commands<Model, Real>(
    [
      // Days pass in a third of the commands, so that lives last long enough to reach the legal steps.
      passDays,
      passDays,
      passDays,
      fc.tuple(fc.constantFrom<PayMode>("full", "partial", "over", "oldest", "instalment"), fc.integer({ min: 1, max: 999 })).map(([mode, p]) => new Pay(mode, p)),
      fc.constantFrom(...tagPool).map((t) => new ToggleTag(t)),
      ...holdCommands(),
    ],
    { maxCommands: options.maxCommands ?? 40, size: "max" },
  );
  const setupArb = fc.record({
    month: fc.integer({ min: parsePeriod("2024-01")!, max: parsePeriod("2027-12")! }),
    dueDay: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 28 })),
    amount: fc.integer({ min: 1, max: 500_000 }),
    segment: fc.constantFrom<AccountSnapshot["segment"]>("residential", "commercial"),
    tags: fc.subarray(tagPool),
  });
  type Setup = typeof setupArb extends fc.Arbitrary<infer S> ? S : never;

  return {
    name,
    description,
    scope,
    check(policy, opts = {}) {
      const scheduler = (opts.scheduler ?? createScheduler)(policy);
      let last: Real | undefined;
      const live = (setup: Setup, cmds: Iterable<fc.Command<Model, Real>>): Finding | undefined => {
        const start = dayOfMonth(setup.month, 1) - 1;
        const real: Real = {
          policy, scheduler, checks, log: [], planned: [], carried: [], dueDay: setup.dueDay, amount: setup.amount, start, day: start,
          account: { id: "M-1", segment: setup.segment, owner: { tags: [...setup.tags] }, charges: [], payments: [], actions: [], holds: [] },
        };
        last = real;
        try {
          fc.modelRun(() => ({ model: { day: start, end: start + 3 * 366, openDisputes: 0 }, real }), cmds);
          return undefined;
        } catch (error) {
          return error instanceof Violated ? error.finding : { error: `threw ${error instanceof Error ? error.message : String(error)}`, asOf: formatCivilDate(real.day) };
        }
      };
      const details = fc.check(fc.property(setupArb, commands, (s, c) => live(s, c) === undefined), checkParameters(opts));
      if (!details.failed) return { name, description, scope, ok: true, runs: details.numRuns };
      const [setup, cmds] = details.counterexample ?? [];
      const finding = setup && cmds ? live(setup, cmds) : { error: "no counterexample" };
      const r = last!;
      const steps = cmds ? [...cmds].map(String).join("; ") : "";
      return failure(
        { name, description, scope },
        details,
        { account: r.account, from: formatCivilDate(r.start), to: formatCivilDate(r.day) },
        { error: `${finding?.error ?? "failed, then passed when replayed"} (steps: ${steps})`, ...(finding?.asOf ? { asOf: finding.asOf } : {}), actions: r.planned },
        policy,
      );
    },
  };
}

/** Every check at every step (engine and policy). */
export const modelInvariant: Invariant = createModelInvariant();
