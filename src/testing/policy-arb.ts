/**
 * Valid policies, built by mutating the built-ins within the schema's bounds: channels, trigger
 * days and months, gaps, deadlines, review flags, a few harmless conditions, stages dropped and
 * stages added. Every policy it yields passes `safeParsePolicy`; it throws if one would not, so a
 * generator bug cannot hide as a vacuous run.
 */
import fc from "fast-check";
import { builtinPolicySource, type BuiltinPolicyId } from "../rules/builtins.js";
import { CHANNELS, DEADLINE_KINDS, LEGAL_KINDS, PUBLIC_CHANNELS, STAFF_CHANNELS, STAGE_KINDS, STAGE_KIND_TABLE, type Channel, type StageKind } from "../rules/kinds.js";
import { formatIssues } from "../rules/errors.js";
import { safeParsePolicy } from "../rules/parse.js";
import type { Policy, Stage, TopLevelCondition, Trigger } from "../rules/schema.js";
import { predecessorOf } from "../rules/vocabulary-triggers.js";

export interface PolicyArbOptions {
  /** Built-ins to start from (default both). */
  bases?: readonly BuiltinPolicyId[];
  /** At most this many stages added (default 2). */
  maxAdded?: number;
  /** Drop stages now and then (default true). */
  drop?: boolean;
  /** Put a harmless condition on a stage now and then (default true). */
  conditions?: boolean;
}

interface Mutation {
  channels: Channel[] | null;
  a: number | null;
  b: number | null;
  deadlineDays: number | null;
  minGapDays: number | null;
  requiresReview: boolean | null;
  condition: TopLevelCondition | null;
  drop: boolean;
}

interface Addition {
  at: number;
  kind: StageKind;
  channels: Channel[];
  type: Trigger["type"];
  a: number;
  b: number;
  deadlineDays: number | null;
}

const channelsArb = fc.subarray([...CHANNELS], { minLength: 1, maxLength: 3 });

const conditionArb: fc.Arbitrary<TopLevelCondition> = fc.oneof(
  fc.integer({ min: 1, max: 200_000 }).map((v): TopLevelCondition => ({ all: [{ fact: "overdueMinor", operator: "greaterThanInclusive", value: v }] })),
  fc.constant<TopLevelCondition>({ not: { fact: "tags", operator: "contains", value: "elderly" } }),
  fc.integer({ min: 0, max: 6 }).map((v): TopLevelCondition => ({ any: [{ fact: "arrearsMonths", operator: "greaterThanInclusive", value: v }] })),
);

function mutationArb(conditions: boolean, drop: boolean): fc.Arbitrary<Mutation> {
  return fc.record({
    channels: fc.option(channelsArb, { freq: 2 }),
    a: fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 2 }),
    b: fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 2 }),
    deadlineDays: fc.option(fc.integer({ min: 1, max: 60 }), { freq: 2 }),
    minGapDays: fc.option(fc.integer({ min: 1, max: 45 }), { freq: 4 }),
    requiresReview: fc.option(fc.boolean(), { freq: 4 }),
    condition: conditions ? fc.option(conditionArb, { freq: 6 }) : fc.constant(null),
    drop: drop ? fc.integer({ min: 0, max: 7 }).map((n) => n === 0) : fc.constant(false),
  });
}

const additionArb: fc.Arbitrary<Addition> = fc.record({
  at: fc.nat({ max: 20 }),
  kind: fc.constantFrom(...STAGE_KINDS),
  channels: channelsArb,
  type: fc.constantFrom<Trigger["type"]>("billingMonthDay", "dueDate", "afterStage", "arrearsMonths"),
  a: fc.integer({ min: 0, max: 1000 }),
  b: fc.integer({ min: 0, max: 1000 }),
  deadlineDays: fc.option(fc.integer({ min: 1, max: 60 })),
});

/** `a`, `b` (0–1000) scaled into the trigger's bounds; `earlier` names the stages an afterStage may follow. */
function trigger(type: Trigger["type"], a: number, b: number, earlier: readonly string[], fallback: Trigger): Trigger {
  switch (type) {
    case "billingMonthDay":
      return { type, monthOffset: a % 3, day: 1 + (b % 31) };
    case "dueDate":
      return { type, offsetDays: (a % 91) - 30 };
    case "arrearsMonths":
      return { type, months: 1 + (a % 24) };
    case "afterStage":
      return earlier.length === 0 ? fallback : { type, stage: earlier[a % earlier.length]!, days: 1 + (b % 60) };
    default:
      return fallback; // a trigger type this generator does not know: keep the stage's own
  }
}

/**
 * The channels validation allows for the kind: a stage addressed to staff goes on the staff
 * queue only (`staff_channel`); a legal step never on a public channel (`public_legal_step`):
 * those are swapped for express mail.
 */
function channelsFor(kind: StageKind, channels: Channel[]): Channel[] {
  if (STAGE_KIND_TABLE[kind].audience === "staff") return [...STAFF_CHANNELS];
  if (!LEGAL_KINDS.has(kind)) return channels;
  const kept = channels.filter((c) => !PUBLIC_CHANNELS.has(c));
  return kept.length > 0 ? kept : ["expressMail"];
}

function mutate(stage: Stage, m: Mutation, earlier: readonly string[]): Stage {
  const out: Stage = { ...stage };
  if (m.channels) out.channels = channelsFor(stage.kind, m.channels);
  if (m.a !== null || m.b !== null) {
    const t = stage.trigger;
    const a = m.a ?? 0;
    const b = m.b ?? 0;
    out.trigger = t.type === "afterStage" ? { ...t, days: 1 + (b % 60) } : trigger(t.type, a, b, earlier, t);
  }
  if (m.deadlineDays !== null && DEADLINE_KINDS.has(stage.kind)) out.deadlineDays = m.deadlineDays;
  if (m.minGapDays !== null) out.minGapDays = m.minGapDays;
  if (m.requiresReview !== null) out.requiresReview = m.requiresReview;
  if (m.condition !== null) out.conditions = m.condition;
  return out;
}

/** Valid policies derived from the built-ins (see the module comment). */
export function policyArb(options: PolicyArbOptions = {}): fc.Arbitrary<Policy> {
  const bases = options.bases ?? (["residential", "commercial"] as const);
  return fc
    .record({
      base: fc.constantFrom(...bases),
      mutations: fc.array(mutationArb(options.conditions !== false, options.drop !== false), { minLength: 12, maxLength: 12 }),
      additions: fc.array(additionArb, { maxLength: Math.max(0, options.maxAdded ?? 2) }),
    })
    .map(({ base, mutations, additions }): Policy => {
      const source = builtinPolicySource(base) as Policy & { $schema?: string };
      delete source.$schema;
      let stages: Stage[] = [];
      source.stages.forEach((s, i) => stages.push(mutate(s, mutations[i % mutations.length]!, stages.map((x) => x.id))));
      additions.forEach((add, n) => {
        const at = add.at % (stages.length + 1);
        const earlier = stages.slice(0, at).map((s) => s.id);
        const fallback: Trigger = { type: "dueDate", offsetDays: 1 + (add.b % 60) };
        const stage: Stage = { id: `extra_${n}`, kind: add.kind, channels: channelsFor(add.kind, add.channels), trigger: trigger(add.type, add.a, add.b, earlier, fallback) };
        if (add.deadlineDays !== null && DEADLINE_KINDS.has(add.kind)) stage.deadlineDays = add.deadlineDays;
        stages.splice(at, 0, stage);
      });
      const dropped = new Set(stages.filter((_, i) => mutations[i % mutations.length]!.drop).map((s) => s.id));
      if (dropped.size >= stages.length) dropped.delete(stages[0]!.id);
      // Drop the stages that follow a dropped one, until every afterStage names a stage kept earlier.
      const kept: Stage[] = [];
      for (const s of stages) {
        if (dropped.has(s.id)) continue;
        const followed = predecessorOf(s.trigger);
        if (followed !== undefined && !kept.some((k) => k.id === followed)) continue;
        // A lawsuit or arbitration needs a written demand listed before it (validation: court_before_demand).
        if (STAGE_KIND_TABLE[s.kind].court && !kept.some((k) => STAGE_KIND_TABLE[k.kind].writtenDemand)) continue;
        kept.push(s);
      }
      stages = kept.length > 0 ? kept : [stages[0]!];
      const result = safeParsePolicy({ ...source, id: `${base}-mutant`, version: "generated", stages });
      // An invariant of the generator (a bug in it, not in the caller's input).
      if (!result.ok) throw new Error(`policyArb built an invalid policy:\n${formatIssues(result.issues, "  ")}`);
      return result.value;
    });
}
