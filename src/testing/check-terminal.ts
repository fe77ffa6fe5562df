/**
 * The end of the road (issue 18): nothing owner-facing after a terminal stage until the account
 * is reopened, and nothing at all for the charges a write-off wrote off. Generated accounts get a
 * terminal stage of the policy recorded on a random day of the window, sometimes a person's
 * `reopen` record or a payment after it; the vendor's nightly loop plans and records every day
 * (`planDaily`), and the check reads the rule from the ledger alone, independently of the
 * scheduler (docs/recipes.md, "The end of the road"):
 *
 * - a terminal action counts from the day it is recorded: the injected record on its own day, a
 *   planned one from the day after it was carried out;
 * - it ends when payments on later days clear what was overdue on its day (a part payment does
 *   not), or a `reopen` record on or after its day;
 * - while it holds, no owner-facing action; after a write-off in it, no action covering a charge
 *   due before the write-off day.
 *
 * A policy without terminal stages passes at once: there is no end of the road to keep.
 */
import fc from "fast-check";
import { LEGAL_KINDS, STAGE_KIND_TABLE, type StageKind } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { HoldSnapshot } from "../schedule/ladder/hold-types.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import type { Scenario } from "./arbitraries.js";
import { cleanScenarios as clean, defineInvariant, forecastOf, type InvariantContext } from "./define.js";
import { chargeOfKey, planDaily } from "./ledger.js";

/** The stage id of a person's reopening record (rules/parse.ts REOPEN_STAGE_ID, restated: the kit does not trust the code it checks). */
const REOPEN = "reopen";

type TerminalScenario = Scenario & { terminal?: { stage: string; on: string; reopenOn?: string; paidOn?: string } };

function terminalStages(policy: Policy): string[] {
  return policy.stages.filter((s) => STAGE_KIND_TABLE[s.kind].terminal !== null).map((s) => s.id);
}

const terminalArb = (ctx: InvariantContext): fc.Arbitrary<TerminalScenario> => {
  const stages = terminalStages(ctx.policy);
  if (stages.length === 0) return clean(ctx);
  return clean(ctx).chain((scenario) => {
    const span = Math.max(1, civilDate(scenario.to) - civilDate(scenario.from));
    return fc
      .record({
        stage: fc.constantFrom(...stages),
        // Late in the window half the time: after the lawyer's letter, where the policy's own
        // terminal stages (staff actions on the oldest charge) fall due after the injected one.
        at: fc.oneof(fc.integer({ min: 0, max: span }), fc.integer({ min: Math.floor((span * 2) / 3), max: span })),
        reopenAfter: fc.option(fc.integer({ min: 0, max: 90 }), { freq: 3 }),
        paidAfter: fc.option(fc.integer({ min: 0, max: 90 }), { freq: 3 }),
        // A token amount, or everything the ledger ever billed (which clears any debt).
        paidAll: fc.boolean(),
      })
      .map(({ stage, at, reopenAfter, paidAfter, paidAll }): TerminalScenario => {
        const charge = scenario.account.charges[0];
        if (!charge) return scenario;
        const id = scenario.account.id;
        const day = civilDate(scenario.from) + at;
        const on = formatCivilDate(day);
        const actions = [...(scenario.account.actions ?? []), { id: `${id}:${stage}@${charge.id}`, stage, on, covers: [`${stage}@${charge.id}`] }];
        const reopenOn = reopenAfter === null ? undefined : formatCivilDate(day + reopenAfter);
        if (reopenOn) actions.push({ id: `${id}:${REOPEN}@${reopenOn}`, stage: REOPEN, on: reopenOn, covers: [] });
        const paidOn = paidAfter === null ? undefined : formatCivilDate(day + paidAfter);
        const payments = [...(scenario.account.payments ?? []), ...(paidOn ? [{ id: "p-after-terminal", on: paidOn, amountMinor: paidAll ? Math.max(1, scenario.account.charges.reduce((n, c) => n + c.amountMinor, 0)) : 100 }] : [])];
        const account: AccountSnapshot = { ...scenario.account, actions, payments };
        return { ...scenario, account, terminal: { stage, on, ...(reopenOn ? { reopenOn } : {}), ...(paidOn ? { paidOn } : {}) } };
      });
  });
};

/** The terminal state on `day` (before planning it): the day of the last terminal step and of the write-off in its episode, or undefined. */
function stateOn(policy: Policy, account: AccountSnapshot, carried: readonly PlannedAction[], day: string): { on: string; stage: string; writtenOffOn?: string } | undefined {
  const kinds = new Map<string, StageKind>(policy.stages.map((s) => [s.id, s.kind]));
  const events: Array<{ on: string; order: number; stage?: string; amount?: number }> = [];
  for (const r of account.actions ?? []) {
    if (r.on > day) continue;
    if (r.stage === REOPEN) events.push({ on: r.on, order: 1 });
    else if (kinds.has(r.stage) && STAGE_KIND_TABLE[kinds.get(r.stage)!].terminal !== null) events.push({ on: r.on, order: 0, stage: r.stage });
  }
  // Planned actions are recorded after their day's planning: they count from the next day.
  for (const a of carried) if (a.plannedOn < day) for (const c of a.covers) if (STAGE_KIND_TABLE[c.kind].terminal !== null) events.push({ on: a.plannedOn, order: 0, stage: c.stage });
  for (const p of account.payments ?? []) if (p.on <= day) events.push({ on: p.on, order: 2, amount: p.amountMinor });
  events.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.order - b.order));
  let state: { on: string; stage: string; writtenOffOn?: string } | undefined;
  let owed = 0;
  for (const e of events) {
    if (e.stage !== undefined) {
      const writtenOffOn = STAGE_KIND_TABLE[kinds.get(e.stage)!].writesOff ? e.on : state?.writtenOffOn;
      state = { on: e.on, stage: e.stage, ...(writtenOffOn ? { writtenOffOn } : {}) };
      // What was overdue at the end of its day: charges due before it, less every payment up to it.
      const billed = account.charges.filter((c) => c.dueOn < e.on).reduce((n, c) => n + c.amountMinor, 0);
      owed = Math.max(0, billed - (account.payments ?? []).filter((p) => p.on <= e.on).reduce((n, p) => n + p.amountMinor, 0));
    } else if (state && e.order === 1 && e.on >= state.on) state = undefined;
    else if (state && e.order === 2 && e.on > state.on && (owed -= e.amount!) <= 0) state = undefined;
  }
  return state;
}

export const terminalStops = defineInvariant<TerminalScenario>({
  name: "terminal",
  description:
    "Nothing owner-facing after a terminal stage (collection agency, lawsuit or arbitration, write-off) until a payment on a later day or a person's reopen record; nothing at all for the charges a write-off wrote off.",
  scope: "engine",
  arbitrary: terminalArb,
  verify(ctx, scenario) {
    if (!scenario.terminal) return undefined;
    // From a month before the terminal step (earlier days catch up on the first one) to far
    // enough past it for the ladder to have spoken many times (S2's final notice is a month on):
    // planning every day is what a failure's shrinking repeats, so the window stays short.
    const on = civilDate(scenario.terminal.on);
    const from = formatCivilDate(Math.max(civilDate(scenario.from), on - 30));
    const actions = planDaily(ctx.scheduler, structuredClone(scenario.account), from, formatCivilDate(on + 150));
    const dues = new Map(scenario.account.charges.map((c) => [c.id, c.dueOn]));
    for (const a of actions) {
      const state = stateOn(ctx.policy, scenario.account, actions, a.plannedOn);
      if (!state) continue;
      if (a.audience === "owner")
        return { asOf: a.plannedOn, error: `${a.kind} (${a.stage}) to the owner on ${a.plannedOn}, after ${state.stage} on ${state.on} and no payment or reopening since`, actions };
      if (state.writtenOffOn === undefined) continue;
      const written = a.covers.find((c) => (dues.get(chargeOfKey(c.key)) ?? "9999") < state.writtenOffOn!);
      if (written) return { asOf: a.plannedOn, error: `${a.kind} (${written.key}) on ${a.plannedOn} for a charge written off on ${state.writtenOffOn}`, actions };
    }
    return undefined;
  },
});

/** Where a generated hold goes, relative to the first terminal step the account reaches without it. */
type WaitScenario = Scenario & { wait?: { type: "dispute" | "resolvedDispute" | "promiseToPay" | "manualAll" | "manualLegal" | "installmentPlan"; before: number; after: number } };

const waitArb = (ctx: InvariantContext): fc.Arbitrary<WaitScenario> => {
  if (terminalStages(ctx.policy).length === 0) return clean(ctx);
  return fc.tuple(
    clean(ctx),
    fc.record({
      type: fc.constantFrom("dispute" as const, "resolvedDispute" as const, "promiseToPay" as const, "manualAll" as const, "manualLegal" as const, "installmentPlan" as const),
      // The hold starts up to two months before that step and lasts up to three months past it.
      before: fc.integer({ min: 0, max: 60 }),
      after: fc.integer({ min: 0, max: 90 }),
    }),
  ).map(([scenario, wait]) => ({ ...scenario, wait }));
};

/**
 * The hold of `wait` around day `at` (epoch day), with the days it holds a terminal step (`to`
 * inclusive; undefined: open) and whether it holds one of `kind`, read from the domain: a dispute
 * from its opening to the day before it is resolved; a promise from the day it was made through
 * the promised date (the owner has the whole day, Civil Code art. 203); a manual hold through its
 * last day, every stage (`all`) or legal steps (`legal`); a kept plan, every step for its charges.
 */
function holdAround(wait: NonNullable<WaitScenario["wait"]>, at: number, charges: string[], window: string): { hold: HoldSnapshot; from: string; to: string | undefined; holds: (kind: StageKind, charge: string) => boolean } {
  const from = formatCivilDate(at - wait.before);
  const last = formatCivilDate(at + wait.after);
  const always = () => true;
  switch (wait.type) {
    case "dispute":
      return { hold: { type: "dispute", id: "h", openedOn: from, severity: "major" }, from, to: undefined, holds: always };
    case "resolvedDispute":
      return { hold: { type: "dispute", id: "h", openedOn: from, severity: "minor", resolvedOn: formatCivilDate(at + wait.after + 1) }, from, to: last, holds: always };
    case "promiseToPay":
      return { hold: { type: "promiseToPay", id: "h", madeOn: from, promisedOn: last }, from, to: last, holds: always };
    case "manualAll":
    case "manualLegal": {
      const scope = wait.type === "manualAll" ? "all" : "legal";
      return { hold: { type: "manual", id: "h", from, until: last, scope, reason: "generated" }, from, to: last, holds: (kind) => scope === "all" || LEGAL_KINDS.has(kind) };
    }
    case "installmentPlan":
      // One instalment a year after the window: the plan is kept throughout.
      return {
        hold: { type: "installmentPlan", id: "h", agreedOn: from, charges, instalments: [{ dueOn: formatCivilDate(civilDate(window) + 365), amountMinor: 1 }] },
        from,
        to: undefined,
        holds: (_kind, charge) => charges.includes(charge),
      };
  }
}

export const terminalWaitsForHolds = defineInvariant<WaitScenario>({
  name: "terminal-waits",
  description:
    "A terminal stage (collection agency, lawsuit or arbitration, write-off) is the staff's, but it ends the owner's ladder: it is never planned while a hold that holds that ladder is in force (an open dispute, a pending promise, a manual hold, a kept plan for its charge).",
  scope: "engine",
  arbitrary: waitArb,
  verify(ctx, scenario) {
    if (!scenario.wait) return undefined;
    // The first terminal step the account reaches with no hold: the hold is put around it.
    const free = forecastOf(ctx, scenario);
    const first = free.find((a) => a.covers.some((c) => STAGE_KIND_TABLE[c.kind].terminal !== null));
    if (!first) return undefined;
    const anchors = first.covers.map((c) => chargeOfKey(c.key));
    const around = holdAround(scenario.wait, civilDate(first.plannedOn), anchors, scenario.to);
    const account: AccountSnapshot = { ...scenario.account, holds: [...(scenario.account.holds ?? []), around.hold] };
    const actions = forecastOf(ctx, { ...scenario, account });
    for (const a of actions) {
      if (a.plannedOn < around.from || (around.to !== undefined && a.plannedOn > around.to)) continue;
      const held = a.covers.find((c) => STAGE_KIND_TABLE[c.kind].terminal !== null && around.holds(c.kind, chargeOfKey(c.key)));
      if (held)
        return { asOf: a.plannedOn, error: `${held.kind} (${held.key}) planned on ${a.plannedOn} inside ${around.hold.type} h (from ${around.from}${around.to ? ` to ${around.to}` : ", open"}), which holds the owner's ladder`, actions };
    }
    return undefined;
  },
});
