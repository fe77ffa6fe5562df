/**
 * Every invariant of the proof kit fails on a mutant: a scheduler (or policy, or money function)
 * broken on purpose, one per invariant, each caught with its error, timeline and counterexample.
 * The invariants themselves, on the built-ins and the unfair example: testing-kit.test.ts.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { builtinPolicySource, type BuiltinPolicyId } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import { assessCharge } from "../src/rules/rates.js";
import { computeLateFees } from "../src/schedule/fees/money.js";
import type { Policy, Stage } from "../src/rules/schema.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { type AccountSnapshot, type ChargeSnapshot } from "../src/ledger/account.js";
import { normalizeAccount } from "../src/ledger/check-account.js";
import type { HoldSnapshot } from "../src/schedule/ladder/hold-types.js";
import { civilDate, formatCivilDate } from "../src/schedule/time/civil-date.js";
import { createScheduler, type Scheduler } from "../src/schedule/ladder/scheduler.js";
import { INVARIANTS, checkPolicy, modelInvariant, type MoneyFunctions } from "../src/testing/index.js";

/** The built-ins' time limit (testing-kit.test.ts): CI runs this file under the same load (`PD_VERIFY_RUNS=1000`). */
const RUNS = Number(process.env.PD_VERIFY_RUNS ?? 100);
const SLOW = { timeout: 120_000 + RUNS * 1_500 };
const builtin = (id: BuiltinPolicyId): Policy => parsePolicy(builtinPolicySource(id));
const residential = builtin("residential");

/** A scheduler built from `policy`, with some of its methods replaced. */
function mutant(patch: (s: Scheduler) => Partial<Scheduler>, build: Policy = residential): (p: Policy) => Scheduler {
  return () => {
    const s = createScheduler(build);
    return { ...s, ...patch(s) };
  };
}
const snapshot = (a: unknown) => a as AccountSnapshot;
const withStages = (policy: Policy, edit: (s: Stage) => Stage | undefined): Policy => ({ ...policy, stages: policy.stages.flatMap((s) => edit(s) ?? []) });
/**
 * The account with each installment plan's names filtered by `keep` and rewritten by `mean` (a
 * broken reading of the names); a plan left naming nothing is dropped, as a silent reader would.
 */
function planNames(a: AccountSnapshot, keep: (name: string, charges: ChargeSnapshot[]) => boolean, mean: (name: string, charges: ChargeSnapshot[]) => string[] = (n) => [n]): AccountSnapshot {
  const holds = (a.holds ?? []).flatMap((h): HoldSnapshot[] => {
    if (h.type !== "installmentPlan") return [h];
    const charges = h.charges.filter((n) => keep(n, a.charges)).flatMap((n) => mean(n, a.charges));
    return charges.length > 0 ? [{ ...h, charges }] : [];
  });
  return { ...a, holds };
}
const commercialPolicy = parsePolicy(builtinPolicySource("commercial"));
/** A fair charge ladder that ends in a lawyer's letter 30 days after the final notice. */
const legalLadder = parsePolicy({
  extends: "commercial",
  id: "legal-ladder",
  version: "1",
  stages: [{ id: "lawyer_letter", kind: "lawyerLetter", channels: ["expressMail"], trigger: { type: "afterStage", stage: "final_notice", days: 30 }, requiresReview: true }],
});

/** The scheduler before issue 14: a legal review only once a final notice was carried out. */
const waitsForLadder = mutant((s) => {
  const demanded = (recorded: readonly { stage: string }[]) => recorded.some((r) => r.stage === "final_notice" || r.stage === "arrears_6m_final_notice");
  return {
    dueActions: (a, d) => s.dueActions(a, d).filter((x) => x.kind !== "legalReview" || demanded(snapshot(a).actions ?? [])),
    forecast(a, f, t) {
      const out: PlannedAction[] = [];
      for (const x of s.forecast(a, f, t)) if (x.kind !== "legalReview" || demanded([...(snapshot(a).actions ?? []), ...out])) out.push(x);
      return out;
    },
  };
});

describe("every invariant fails on a mutant", () => {
  let counter = 0;
  const mutants: Array<[string, string, { scheduler?: (p: Policy) => Scheduler; policy?: Policy; error?: RegExp; money?: Partial<MoneyFunctions> }]> = [
    ["deterministic", "ids carry a call counter", { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(a, f, t).map((x) => ({ ...x, id: `${x.id}#${++counter}` })) })) }],
    [
      "deterministic",
      "channels depend on the host time zone",
      { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(a, f, t).map((x) => (new Date(2026, 0, 1).getTimezoneOffset() === 300 ? { ...x, channels: [...x.channels].reverse() } : x)) })) },
    ],
    ["equal-treatment", "accounts with an odd-length id get no dunning notice", { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(a, f, t).filter((x) => a.id.length % 2 === 0 || x.kind !== "dunningNotice") })) }],
    ["paid-means-quiet", "payments are ignored", { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast({ ...snapshot(a), payments: [] }, f, t) })) }],
    ["order", "the engine drops the dunning notice stage (a warning is skipped)", { error: /skipped/, scheduler: mutant(() => ({}), withStages(residential, (s) => (s.id === "dunning_notice" ? undefined : s))) }],
    // (src/testing/check-gap.test.ts also breaks the engine's own rule, gap.ts, both ways.)
    ["gap", "final notices go out a week before the day the rule allows", { error: /was not kept/, scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(a, f, t).map((x) => (x.stage === "final_notice" ? { ...x, plannedOn: formatCivilDate(civilDate(x.plannedOn) - 7) } : x)) })) }],
    [
      "order",
      "the lawyer's letter goes the day after the first final notice, before its deadline",
      {
        policy: legalLadder,
        error: /without a written demand/,
        scheduler: mutant((s) => ({
          forecast(a, f, t) {
            const out = s.forecast(a, f, t);
            const first = out.find((d) => d.kind === "finalNotice");
            const early = first && formatCivilDate(civilDate(first.plannedOn) + 1);
            return out.map((x) => (x.kind === "lawyerLetter" && early && early < x.plannedOn ? { ...x, plannedOn: early } : x)).sort((x, y) => (x.plannedOn < y.plannedOn ? -1 : x.plannedOn > y.plannedOn ? 1 : 0));
          },
        }), legalLadder),
      },
    ],
    [
      "escalation",
      "the policy swaps the dunning notice's and final notice's kinds",
      { policy: withStages(residential, (s) => (s.id === "dunning_notice" ? { ...s, kind: "finalNotice", deadlineDays: 15 } : s.id === "final_notice" ? { ...s, kind: "dunningNotice", deadlineDays: undefined } : s)) },
    ],
    ["idempotent", "recorded actions are ignored", { scheduler: mutant((s) => ({ dueActions: (a, d) => s.dueActions({ ...snapshot(a), actions: [] }, d) })) }],
    ["one-action-a-day", "each dunning notice goes out twice", { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(a, f, t).flatMap((x) => (x.kind === "dunningNotice" ? [x, { ...x, id: `${x.id}-again`, covers: [] }] : [x])) })) }],
    ["forecast-agrees", "forecast drops its last action", { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(a, f, t).slice(0, -1) })) }],
    ["privacy", "the policy posts the lawyer's letter on the door", { policy: withStages(residential, (s) => (s.kind === "lawyerLetter" ? { ...s, channels: ["doorPosting"] } : s)) }],
    [
      "backdated-holds",
      "the review leaves out actions carried out before the hold was recorded",
      { error: /not listed for review/, scheduler: mutant((s) => ({ actionsInsideHolds: (a, d) => s.actionsInsideHolds(a, d).filter((r) => r.holdRecordedOn === undefined || r.on >= r.holdRecordedOn) })) },
    ],
    [
      "backdated-holds",
      "the review leaves out actions carried out inside an installment plan",
      { error: /not listed for review/, scheduler: mutant((s) => ({ actionsInsideHolds: (a, d) => s.actionsInsideHolds(a, d).filter((r) => r.holdType !== "installmentPlan") })) },
    ],
    [
      "backdated-holds",
      "a manual hold of scope all holds only the legal steps",
      {
        error: /inside manual h/,
        scheduler: mutant((s) => {
          const legalOnly = (a: unknown): AccountSnapshot => ({ ...snapshot(a), holds: (snapshot(a).holds ?? []).map((h) => (h.type === "manual" ? { ...h, scope: "legal" as const } : h)) });
          return { dueActions: (a, d) => s.dueActions(legalOnly(a), d), forecast: (a, f, t) => s.forecast(legalOnly(a), f, t) };
        }),
      },
    ],
    ["holds", "the scheduler ignores holds", { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast({ ...snapshot(a), holds: [] }, f, t) })) }],
    [
      "hold-references",
      "a plan naming billing periods covers nothing (periods read as ids; issue 14, defect 2)",
      {
        error: /covers/,
        // Accounts with a name that matches nothing are still reported: only the reading of periods is broken.
        scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(normalizeAccount(a).ok ? planNames(snapshot(a), (name, c) => c.some((x) => x.id === name)) : a, f, t) })),
      },
    ],
    [
      "hold-references",
      "a plan's names that match nothing are dropped silently",
      { error: /names no charge/, scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(planNames(snapshot(a), (name, c) => c.some((x) => x.id === name || x.period === name)), f, t) })) },
    ],
    [
      "hold-references",
      "a period wins over a charge id of the same name",
      {
        error: /covers/,
        scheduler: mutant((s) => ({
          forecast: (a, f, t) =>
            s.forecast(
              planNames(snapshot(a), () => true, (name, c) => (c.some((x) => x.period === name) ? c.filter((x) => x.period === name).map((x) => x.id) : [name])),
              f,
              t,
            ),
        })),
      },
    ],
    [
      "protections",
      "protected owners' notices are also posted on the door",
      {
        policy: commercialPolicy,
        scheduler: mutant((s) => {
          const post = (a: unknown, x: PlannedAction) => (snapshot(a).owner?.tags?.length ? { ...x, channels: [...x.channels, "doorPosting" as const] } : x);
          return { forecast: (a, f, t) => s.forecast(a, f, t).map((x) => post(a, x)), dueActions: (a, d) => s.dueActions(a, d).map((x) => post(a, x)) };
        }, commercialPolicy),
      },
    ],
    [
      "protections",
      "protected owners' dunning notices are sent as final notices",
      {
        error: /owner gets finalNotice/,
        scheduler: mutant((s) => {
          const harden = (a: unknown, x: PlannedAction) => (snapshot(a).owner?.tags?.length && x.kind === "dunningNotice" ? { ...x, kind: "finalNotice" as const } : x);
          return { forecast: (a, f, t) => s.forecast(a, f, t).map((x) => harden(a, x)), dueActions: (a, d) => s.dueActions(a, d).map((x) => harden(a, x)) };
        }),
      },
    ],
    ["contact", "windows run to 23:00", { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(a, f, t).map((x) => (x.window ? { ...x, window: { ...x.window, to: x.window.to.replace(/T\d\d:/, "T23:") } } : x)) })) }],
    [
      "money",
      "an action states a charge's late fee once, then nothing: the fee falls as days pass, with no payment",
      {
        error: /with no payment in between/,
        scheduler: mutant((s) => ({
          forecast(a, f, t) {
            const seen = new Set<string>();
            return s.forecast(a, f, t).map((x) => {
              const charges = x.charges.map((c) => {
                if (seen.has(c.id)) return { ...c, lateFeeMinor: 0 };
                seen.add(c.id);
                return c;
              });
              const lateFeeMinor = charges.reduce((sum, c) => sum + c.lateFeeMinor, 0);
              return { ...x, charges, lateFeeMinor, totalMinor: x.overdueMinor + lateFeeMinor };
            });
          },
        })),
      },
    ],
    [
      "money",
      "an allocation line loses a minor unit",
      {
        error: /lines and credit sum to/,
        money: {
          computeLateFees(policy, account, asOf) {
            const report = computeLateFees(policy, account, asOf);
            const line = report.allocation.payments.flatMap((p) => p.lines).find((l) => l.amountMinor > 1);
            if (line) line.amountMinor -= 1;
            return report;
          },
        },
      },
    ],
    [
      "money",
      "principal goes to the newest charge first",
      {
        error: /while the older .* is unpaid/,
        money: {
          computeLateFees(policy, account, asOf) {
            const report = computeLateFees(policy, account, asOf);
            const charges = report.allocation.charges;
            const [first, last] = [charges[0], charges.at(-1)];
            if (first && last && first !== last) [first.principalPaidMinor, last.principalPaidMinor] = [last.principalPaidMinor, first.principalPaidMinor];
            return report;
          },
        },
      },
    ],
    [
      "money",
      "the entrusted rate is worked out in floating point and truncated",
      {
        error: /entrusted unit .* assessed/,
        money: {
          assessCharge(policy, unit, period) {
            const right = assessCharge(policy, unit, period);
            return right.rateBasisPoints === 7000 ? { ...right, amountMinor: Math.floor(unit.fullRateMinor * 0.7) } : right;
          },
        },
      },
    ],
    ["money", "the total leaves out the late fee", { scheduler: mutant((s) => ({ forecast: (a, f, t) => s.forecast(a, f, t).map((x) => ({ ...x, totalMinor: x.overdueMinor })) })) }],
    ["model", "payments are ignored day by day", { scheduler: mutant((s) => ({ dueActions: (a, d) => s.dueActions({ ...snapshot(a), payments: [] }, d) })) }],
    // Issue 14's defect: the review waited for the owner's ladder (a written demand first).
    ["limitation-review", "the staff review waits for a final notice", { error: /no staff review planned 180 days before it/, scheduler: waitsForLadder }],
    [
      "limitation-review",
      "a manual hold stops the staff review",
      { error: /no staff review/, scheduler: mutant((s) => ({ dueActions: (a, d) => s.dueActions(a, d).filter((x) => x.kind !== "legalReview" || !snapshot(a).holds?.some((h) => h.type === "manual")) })) },
    ],
    ["limitation-review", "the policy drops its review", { error: /the policy plans no staff stage before limitation/, policy: withStages(residential, (s) => (s.kind === "legalReview" ? undefined : s)) }],
    ["one-owner-one-action-a-day", "the scheduler addresses every action to staff, so the owner pass lets them all through", { error: /owner-facing actions on/, scheduler: mutant((s) => ({ dueActions: (a, d) => s.dueActions(a, d).map((x) => ({ ...x, audience: "staff" as const })) })) }],
    ["unique-action-ids", "action ids leave out the account id", { error: /more than once/, scheduler: mutant((s) => ({ dueActions: (a, d) => s.dueActions(a, d).map((x) => ({ ...x, id: x.id.slice(x.accountId.length + 1) })) })) }],
    [
      "terminal",
      "the scheduler never sees a recorded terminal stage (the ladder goes on after a lawsuit)",
      (() => {
        const endOfRoad = parsePolicy(JSON.parse(readFileSync(fileURLToPath(new URL("../examples/recipes/end-of-the-road.json", import.meta.url)), "utf8")));
        const strip = (a: unknown): AccountSnapshot => ({ ...snapshot(a), actions: (snapshot(a).actions ?? []).filter((r) => !["collection_agency", "legal_action", "write_off"].includes(r.stage)) });
        return { policy: endOfRoad, error: /to the owner on/, scheduler: mutant((s) => ({ dueActions: (a, d) => s.dueActions(strip(a), d), forecast: (a, f, t) => s.forecast(strip(a), f, t) }), endOfRoad) };
      })(),
    ],
    [
      "residual-fee",
      "the scheduler loses the waiver of a fee left once the principal is paid",
      (() => {
        const residual = parsePolicy(JSON.parse(readFileSync(fileURLToPath(new URL("../examples/recipes/residual-fee.json", import.meta.url)), "utf8")));
        const drop = (xs: PlannedAction[]) => xs.filter((x) => x.stage !== "late_fee_waiver");
        return { policy: residual, error: /late_fee_waiver@c\d never planned/, scheduler: mutant((s) => ({ dueActions: (a, d) => drop(s.dueActions(a, d)), forecast: (a, f, t) => drop(s.forecast(a, f, t)) }), residual) };
      })(),
    ],
    [
      "versions",
      "recorded actions of a stage the policy does not have are ignored (the defect before continues: nothing maps or reports them)",
      {
        error: /repeated across the change/,
        // (src/testing/check-versions.test.ts also breaks the engine's own reading, continues.ts.)
        scheduler: (p) => {
          const s = createScheduler(p);
          const known = new Set(p.stages.map((x) => x.id));
          const strip = (a: unknown): AccountSnapshot => ({ ...snapshot(a), actions: (snapshot(a).actions ?? []).filter((r) => known.has(r.stage)) });
          return { ...s, forecast: (a, f, t) => s.forecast(strip(a), f, t), dueActions: (a, d) => s.dueActions(strip(a), d) };
        },
      },
    ],
    [
      "terminal-waits",
      "terminal steps ignore holds (planned as if the account had none)",
      (() => {
        const endOfRoad = parsePolicy(JSON.parse(readFileSync(fileURLToPath(new URL("../examples/recipes/end-of-the-road.json", import.meta.url)), "utf8")));
        const terminal = (x: PlannedAction) => x.covers.some((c) => ["collectionAgency", "legalAction", "writeOff"].includes(c.kind));
        return {
          policy: endOfRoad,
          error: /inside (dispute|promiseToPay|manual|installmentPlan) h/,
          scheduler: mutant(
            (s) => ({
              forecast: (a, f, t) =>
                [...s.forecast(a, f, t).filter((x) => !terminal(x)), ...s.forecast({ ...snapshot(a), holds: [] }, f, t).filter(terminal)].sort((x, y) => (x.plannedOn < y.plannedOn ? -1 : x.plannedOn > y.plannedOn ? 1 : 0)),
            }),
            endOfRoad,
          ),
        };
      })(),
    ],
    [
      "one-owner-one-action-a-day",
      "the scheduler forgets what was recorded on the planning day, so a run retried that day sends the promised day's call again",
      { error: /planned again on .* too/, scheduler: mutant((s) => ({ dueActions: (a, d) => s.dueActions({ ...snapshot(a), actions: (snapshot(a).actions ?? []).filter((r) => r.on !== d) }, d) })) },
    ],
  ];

  it("examples/verify-ci.md describes every invariant", () => {
    const page = readFileSync(fileURLToPath(new URL("../examples/verify-ci.md", import.meta.url)), "utf8");
    const rows = [...page.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual(INVARIANTS.map((i) => i.name));
  });

  it("every invariant has a mutant", () => {
    expect(new Set(mutants.map(([name]) => name))).toEqual(new Set(INVARIANTS.map((i) => i.name)));
  });

  for (const [name, what, { scheduler, policy, error, money }] of mutants)
    it(`${name}: ${what}`, SLOW, () => {
      const report = checkPolicy(policy ?? residential, { runs: 300, seed: 5, only: [name], ...(scheduler ? { scheduler } : {}), ...(money ? { money } : {}) });
      const result = report.results[0]!;
      expect(result.ok, `${name} did not catch: ${what}`).toBe(false);
      if (!result.ok) {
        if (error) expect(result.error).toMatch(error);
        expect(result.timeline.split("\n").length).toBeGreaterThan(1);
        expect(result.counterexample.charges.length).toBeGreaterThan(0);
      }
    });

  it("the model-based test shrinks to a short life", () => {
    const result = modelInvariant.check(residential, { runs: 200, seed: 9, scheduler: mutant((s) => ({ dueActions: (a, d) => s.dueActions({ ...snapshot(a), actions: [] }, d) })) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/again on/);
  });
});
