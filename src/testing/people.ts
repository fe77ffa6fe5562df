/**
 * Invariants for holds, protections, contact and money: what the scheduler promises an owner
 * beyond the ladder itself. Each plans generated scenarios with `forecast` and checks the result
 * with its own arithmetic.
 */
import fc from "fast-check";
import { resolveChannelRule, resolveFrequencyRules, WIDEST_CONTACT_HOURS, HOURS_BOUNDED_CHANNELS } from "../rules/contact.js";
import { CHANNEL_TABLE, KIND_SEVERITY, isDunningClass, type Channel } from "../rules/kinds.js";
import { CHANNEL_HARSHNESS } from "../rules/protections.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import type { HoldSnapshot } from "../schedule/ladder/hold-types.js";
import type { Scenario } from "./arbitraries.js";
import { recordOf } from "./ledger.js";
import { cleanScenarios as clean, defineInvariant, forecastOf as plan, type InvariantContext } from "./define.js";


type HeldScenario = Scenario & { hold: HoldSnapshot; heldFrom: string; heldTo: string };

/** A dispute (open for a while) or a promise to pay, somewhere in the planning window. */
const heldArb = (ctx: InvariantContext): fc.Arbitrary<HeldScenario> =>
  clean(ctx).chain((scenario) => {
    const from = civilDate(scenario.from);
    const span = Math.max(1, civilDate(scenario.to) - from);
    return fc
      .record({
        start: fc.integer({ min: 0, max: span }),
        length: fc.integer({ min: 1, max: 90 }),
        dispute: fc.boolean(),
        severity: fc.constantFrom("major" as const, "important" as const, "minor" as const),
      })
      .map(({ start, length, dispute, severity }): HeldScenario => {
        const a = formatCivilDate(from + start);
        const b = formatCivilDate(from + start + length);
        const hold: HoldSnapshot = dispute ? { type: "dispute", id: "h", openedOn: a, severity, resolvedOn: b } : { type: "promiseToPay", id: "h", madeOn: a, promisedOn: b };
        return { ...scenario, account: { ...scenario.account, holds: [hold] }, hold, heldFrom: a, heldTo: formatCivilDate(from + start + length - 1) };
      });
  });

export const holdsRespected = defineInvariant<HeldScenario>({
  name: "holds",
  description: "Nothing dunning-class reaches the owner while a dispute is open or a promise to pay is pending.",
  scope: "engine",
  arbitrary: heldArb,
  verify(ctx, scenario) {
    const actions = plan(ctx, scenario);
    const bad = actions.find((a) => a.audience === "owner" && isDunningClass(a.kind) && a.plannedOn >= scenario.heldFrom && a.plannedOn <= scenario.heldTo);
    return bad && { error: `${bad.kind} on ${bad.plannedOn} while ${scenario.hold.type} ${scenario.hold.id} holds (${scenario.heldFrom} to ${scenario.heldTo})`, asOf: bad.plannedOn, actions };
  },
});

type TwinScenario = Scenario & { tag: string; twin: AccountSnapshot };

export const protectedTwin = defineInvariant<TwinScenario>({
  name: "protections",
  description:
    "A protected owner never gets a harsher kind or channel than an unprotected owner with the same ledger (charges, payments and the actions recorded on it) would get on the same day.",
  scope: "engine",
  arbitrary: (ctx) => {
    const tags = [...new Set((ctx.policy.protections ?? []).map((p) => p.tag))];
    return clean(ctx).chain((scenario) =>
      (tags.length ? fc.constantFrom(...tags) : fc.constant("")).map((tag): TwinScenario => {
        const plain: AccountSnapshot = { ...scenario.account, owner: { ...scenario.account.owner, tags: [] } };
        return { ...scenario, account: { ...plain, owner: { ...plain.owner, tags: tag ? [tag] : [] } }, tag, twin: plain };
      }),
    );
  },
  verify(ctx, scenario) {
    if (!scenario.tag) return undefined;
    // Both lives are replayed: the protected owner's and the twin's. On every day either of them
    // is contacted, with the history of that life recorded on the ledger, the protected owner
    // and the twin are planned side by side. (Comparing the two lives' forecasts directly would
    // compare different ledgers: a home visit that waited for a working day is recorded on
    // another day than the twin's door posting, and the ladder then follows that record.)
    const mine = plan(ctx, scenario);
    const theirs = plan(ctx, { ...scenario, account: scenario.twin });
    const recorded = scenario.account.actions ?? [];
    const owner = (actions: PlannedAction[]) => actions.filter((a) => a.audience === "owner");
    const harsh = (a: PlannedAction) => Math.max(0, ...a.channels.map((c) => CHANNEL_HARSHNESS[c]));
    const days = [...new Set([...mine, ...theirs].map((a) => a.plannedOn))].sort();
    for (const [life, actions] of [["protected", mine], ["twin", theirs]] as const) {
      for (const day of days) {
        const actions0 = [...recorded, ...actions.filter((a) => a.plannedOn < day).map((a) => recordOf(a))];
        const protectedDue = owner(ctx.scheduler.dueActions({ ...scenario.account, actions: actions0 }, day));
        if (protectedDue.length === 0) continue;
        const twinDue = owner(ctx.scheduler.dueActions({ ...scenario.twin, actions: actions0 }, day));
        const kind = Math.max(-1, ...twinDue.map((t) => KIND_SEVERITY[t.kind]));
        const channel = Math.max(-1, ...twinDue.map(harsh));
        const history = `with the ${life}'s history recorded`;
        for (const a of protectedDue) {
          if (KIND_SEVERITY[a.kind] > kind)
            return { error: `${scenario.tag} owner gets ${a.kind} on ${day} (${history}); the unprotected twin gets ${twinDue.map((t) => t.kind).join(", ") || "nothing"}`, asOf: day, actions: mine };
          if (harsh(a) > channel)
            return { error: `${scenario.tag} owner gets ${a.channels.join("+")} on ${day} (${history}); the unprotected twin gets ${twinDue.map((t) => t.channels.join("+")).join(", ") || "nothing"}`, asOf: day, actions: mine };
        }
      }
    }
    return undefined;
  },
});

function minutes(instant: string): number {
  return Number(instant.slice(11, 13)) * 60 + Number(instant.slice(14, 16));
}

/** A contact that reached the owner: on which day, by which channels, and whether the owner agreed to it beforehand. */
export interface Contact {
  on: string;
  channels: readonly Channel[];
  /** The promise-to-pay follow-up call the owner agreed to: never capped, never counted (Regulation F §1006.14(b)(3)(i)). */
  consented?: boolean;
}

/** The follow-up on a promised date (S2 断其后路): the one contact the owner consented to, planned or recorded. */
const CONSENTED_STAGE = "promise_follow_up";

/** The contact an action makes: the follow-up on a promised date is the one the owner consented to. */
export const contactOf = (a: PlannedAction): Contact => ({ on: a.plannedOn, channels: a.channels, consented: a.stage === CONSENTED_STAGE });

/** The contact a recorded action made: consented when it was the promised day's call, as when it was planned. */
export const recordedContactOf = (r: { on: string; stage: string; channels?: readonly Channel[] }): Contact => ({ on: r.on, channels: r.channels ?? [], consented: r.stage === CONSENTED_STAGE });

/** The first owner action whose window lies outside one of its channels' hours (or outside 08:00–21:00, or off its day). */
export function windowFinding(policy: Policy, actions: readonly PlannedAction[]): { error: string; asOf: string } | undefined {
  for (const a of actions) {
    if (a.audience !== "owner" || !a.window) continue;
    for (const c of a.channels) {
      const rule = resolveChannelRule(c, policy.contact);
      const from = minutes(a.window.from);
      const to = minutes(a.window.to);
      const lo = rule.hours ? Number(rule.hours.from.slice(0, 2)) * 60 + Number(rule.hours.from.slice(3)) : 0;
      const hi = rule.hours ? Number(rule.hours.to.slice(0, 2)) * 60 + Number(rule.hours.to.slice(3)) : 24 * 60;
      const widest = HOURS_BOUNDED_CHANNELS.has(c) && (from < minutes(`0000-00-00T${WIDEST_CONTACT_HOURS.from}`) || to > minutes(`0000-00-00T${WIDEST_CONTACT_HOURS.to}`));
      if (from < lo || to > hi || widest || a.window.from.slice(0, 10) !== a.plannedOn)
        return { error: `${a.kind} on ${a.plannedOn} via ${c}: window ${a.window.from}–${a.window.to} outside ${c}'s hours`, asOf: a.plannedOn };
    }
  }
  return undefined;
}

/** The first frequency cap of `policy` that `contacts` exceed over some rolling window (the staff queue and consented calls not counted). */
export function capFinding(policy: Policy, contacts: readonly Contact[]): { error: string; asOf: string } | undefined {
  const days = new Map<Channel | "any", number[]>();
  for (const a of contacts)
    for (const c of a.consented ? [] : a.channels) {
      if (!CHANNEL_TABLE[c].countedByCaps) continue;
      for (const k of [c, "any"] as const) days.set(k, [...(days.get(k) ?? []), civilDate(a.on)]);
    }
  for (const cap of resolveFrequencyRules(policy.contact).caps) {
    const sorted = [...(days.get(cap.channel) ?? [])].sort((x, y) => x - y);
    for (let i = 0; i < sorted.length; i++) {
      let n = 0;
      for (let j = i; j < sorted.length && sorted[j]! < sorted[i]! + cap.withinDays; j++) n++;
      if (n > cap.max) return { error: `${n} ${cap.channel} contacts within ${cap.withinDays} days from ${formatCivilDate(sorted[i]!)} (cap ${cap.max})`, asOf: formatCivilDate(sorted[i]!) };
    }
  }
  return undefined;
}

/** The first contact rule that the actions planned after the recorded ones break: a window outside its hours, or a cap exceeded (recorded and planned contacts together). */
export function contactFinding(policy: Policy, recorded: readonly { on: string; stage: string; channels?: readonly Channel[] }[], actions: readonly PlannedAction[]): { error: string; asOf: string } | undefined {
  return windowFinding(policy, actions) ?? capFinding(policy, [...recorded.map(recordedContactOf), ...actions.map(contactOf)]);
}

export const contactRules = defineInvariant<Scenario>({
  name: "contact",
  description: "Every owner action's window lies within its channels' hours (never outside 08:00–21:00 for calls, visits and messages), and no frequency cap is exceeded over any rolling window.",
  scope: "engine",
  arbitrary: clean,
  verify(ctx, scenario) {
    const actions = plan(ctx, scenario);
    const found = contactFinding(ctx.policy, scenario.account.actions ?? [], actions);
    return found && { ...found, actions };
  },
});
