/**
 * Compiling a policy: everything that does not depend on an account is worked out once here
 * (ladders, predecessors, gaps, conditions as plain functions), so that planning an account is
 * integer arithmetic and table look-ups.
 */
import { compileCondition, conditionFacts, describeCondition, type CompiledCondition } from "../../rules/conditions.js";
import { PolicyError, type Issue } from "../../rules/errors.js";
import { FACTS } from "../../rules/facts.js";
import { DEADLINE_KINDS, KIND_SEVERITY, LEGAL_KINDS, STAFF_KINDS, isDunningClass, type StageKind } from "../../rules/kinds.js";
import { resolveChannelRule, resolveFrequencyRules, type FrequencyRules, type ResolvedChannelRule } from "../../rules/contact.js";
import { DEFAULT_HOLD_RULES, type HoldRules } from "../../rules/holds.js";
import { CHANNELS, type Channel } from "../../rules/kinds.js";
import type { Protection } from "../../rules/protections.js";
import type { Policy, Stage, Trigger } from "../../rules/schema.js";
import { residualSteps } from "../../rules/residual-fee.js";
import { daysAfterPredecessor, placeInLadder, predecessorOf, type Ladder } from "../../rules/vocabulary-triggers.js";
import { workingCalendarOf, type WorkingCalendar } from "../time/calendar.js";
import type { ContactWindow } from "../time/contact.js";

/**
 * The ladder a compiled stage climbs (see `Ladder` in rules/vocabulary-triggers.ts: charge stages
 * run once per charge, arrears stages once per arrears episode of the account, limitation stages
 * before each charge's limitation date), or `hold`: hold stages (follow-ups, instalment reminders)
 * run once per hold, made by the scheduler itself.
 */
export type StageLadder = Ladder | "hold";

export interface CompiledStage {
  index: number;
  stage: Stage;
  id: string;
  kind: StageKind;
  severity: number;
  staff: boolean;
  dunning: boolean;
  ladder: StageLadder;
  trigger: Trigger;
  /**
   * A `residualLateFee` step (residual-fee.ts): the scheduler's own, on ladder `hold` (its day
   * comes from the payment, not from a trigger), but anchored on a charge like the charge ladder,
   * so a kept installment plan pauses it for the plan's charges (holds.ts `holdPauses`).
   */
  residual: boolean;
  /**
   * Made with the owner's prior consent: the call on the date the owner promised to pay (S2
   * 断其后路: call back on exactly the agreed date). No frequency cap limits it when it is planned,
   * and none counts it once it is carried out (Regulation F §1006.14(b)(3)(i)): the one notion the
   * unit's delivery (deliver.ts), its contact history (log.ts) and the owner pass (owners/) ask.
   */
  consented: boolean;
  /** Index of the warning this stage follows within its ladder, or -1. */
  pred: number;
  /** Explicit minimum days after the predecessor was carried out (minGapDays, or afterStage days). */
  gap: number | undefined;
  deadlineDays: number | undefined;
  /** A lawyer's letter or legal review: only after a written demand whose deadline has passed. */
  legal: boolean;
  condition: CompiledCondition | undefined;
  conditionText: string | undefined;
  factNames: readonly string[];
}

export interface HoldStages {
  disputeFollowUp: CompiledStage;
  promiseFollowUp: CompiledStage;
  instalmentReminder: CompiledStage;
  planBroken: CompiledStage;
}

/** The policy's `residualLateFee` steps, each with its day after the principal was paid (residual-fee.ts plans them). */
export interface ResidualStages {
  reminders: Array<{ cs: CompiledStage; days: number }>;
  waiver: { cs: CompiledStage; days: number } | undefined;
}

export interface CompiledPolicy {
  policy: Policy;
  /** The policy's stages, then the hold stages. */
  stages: CompiledStage[];
  byId: ReadonlyMap<string, CompiledStage>;
  chargeStages: CompiledStage[];
  arrearsStages: CompiledStage[];
  limitationStages: CompiledStage[];
  holdStages: HoldStages;
  /** The steps about a late fee left once the principal is paid (residual-fee.ts); none without `residualLateFee`. */
  residual?: ResidualStages;
  holdRules: Required<HoldRules>;
  limitationYears: number;
  calendar: WorkingCalendar;
  channelRules: Readonly<Record<Channel, ResolvedChannelRule>>;
  frequency: FrequencyRules;
  protections: readonly Protection[];
  /**
   * Contact windows already worked out, by day and channels (`20785 doorPosting,sms`): a run
   * plans every account on the same day, and a window costs a zone look-up. Null: no window.
   */
  windows: Map<string, ContactWindow | null>;
}



const DEFAULT_FINAL_NOTICE_DAYS = 15;

export function compilePolicy(policy: Policy): CompiledPolicy {
  const stages: CompiledStage[] = [];
  const byId = new Map<string, CompiledStage>();
  const issues: Issue[] = [];
  policy.stages.forEach((stage, index) => {
    const trigger = stage.trigger;
    // The ladder and the warning it follows, by the vocabulary's one rule.
    const place = placeInLadder(trigger, stage.kind, stages);
    if (!place) throw new PolicyError([{ code: "unknown_stage", path: `stages[${index}].trigger.stage`, message: `must name a stage listed earlier (got ${JSON.stringify(predecessorOf(trigger))})` }]);
    const { ladder, pred } = place;
    // A stage that follows another waits its trigger's days after it was carried out, at least.
    const after = daysAfterPredecessor(trigger);
    const gap = after !== undefined ? Math.max(after, stage.minGapDays ?? 0) : stage.minGapDays;
    let condition: CompiledCondition | undefined;
    let factNames: string[] = [];
    if (stage.conditions) {
      // parsePolicy already rejects unknown facts; a policy built in code is checked again here.
      factNames = conditionFacts(stage.conditions);
      for (const fact of factNames)
        if (!Object.hasOwn(FACTS, fact))
          issues.push({ code: "unknown_fact", path: `stages[${index}].conditions`, message: `unknown fact ${JSON.stringify(fact)}` });
      condition = compileCondition(stage.conditions);
    }
    const compiled: CompiledStage = {
      index,
      stage,
      id: stage.id,
      kind: stage.kind,
      severity: KIND_SEVERITY[stage.kind],
      staff: STAFF_KINDS.has(stage.kind),
      dunning: isDunningClass(stage.kind),
      ladder,
      residual: false,
      consented: false,
      trigger,
      pred,
      gap,
      deadlineDays: DEADLINE_KINDS.has(stage.kind) ? (stage.deadlineDays ?? DEFAULT_FINAL_NOTICE_DAYS) : undefined,
      legal: LEGAL_KINDS.has(stage.kind),
      condition,
      conditionText: stage.conditions ? describeCondition(stage.conditions) : undefined,
      factNames,
    };
    stages.push(compiled);
    byId.set(stage.id, compiled);
  });
  if (issues.length > 0) throw new PolicyError(issues, policy.id);
  const holdRules = { ...DEFAULT_HOLD_RULES, ...policy.holds } as Required<HoldRules>;
  // The scheduler's own stages: the hold stages, and the residual fee's steps (their trigger a placeholder).
  const ownStage = (stage: Stage, residual = false, consented = false): CompiledStage => {
    const { id, kind } = stage;
    const compiled: CompiledStage = {
      index: stages.length,
      stage,
      id,
      kind,
      severity: KIND_SEVERITY[kind],
      staff: STAFF_KINDS.has(kind),
      dunning: isDunningClass(kind),
      ladder: "hold",
      residual,
      consented,
      trigger: stage.trigger,
      pred: -1,
      gap: undefined,
      deadlineDays: undefined,
      legal: false,
      condition: undefined,
      conditionText: undefined,
      factNames: [],
    };
    stages.push(compiled);
    byId.set(id, compiled);
    return compiled;
  };
  const holdStage = (id: string, kind: StageKind, channels: Channel[], title: string, source: string, consented = false) =>
    ownStage({ id, kind, title, channels, trigger: { type: "dueDate", offsetDays: 0 }, source }, false, consented);
  const holdStages: HoldStages = {
    disputeFollowUp: holdStage("dispute_follow_up", "staffFollowUp", ["staffQueue"], "争议跟进", "S2: major complaints resolved within 10 days, important within 3, minor within 2"),
    promiseFollowUp: holdStage("promise_follow_up", "phoneCall", holdRules.promiseFollowUpChannels, "约定缴费回访", "S2 断其后路: follow up on exactly the agreed date", true),
    instalmentReminder: holdStage("instalment_reminder", "reminder", holdRules.installmentReminderChannels, "分期缴费提醒", "S3: a written installment plan for owners in difficulty"),
    planBroken: holdStage("plan_broken_notice", "dunningNotice", holdRules.planBrokenChannels, "分期计划终止通知", "S3: the plan is broken; collection resumes where it stood"),
  };
  const steps = residualSteps(policy);
  const residual = steps && { reminders: steps.reminders.map((s) => ({ cs: ownStage(s.stage, true), days: s.days })), waiver: steps.waiver && { cs: ownStage(steps.waiver.stage, true), days: steps.waiver.days } };
  return {
    policy,
    stages,
    byId,
    chargeStages: stages.filter((s) => s.ladder === "charge"),
    arrearsStages: stages.filter((s) => s.ladder === "arrears"),
    limitationStages: stages.filter((s) => s.ladder === "limitation"),
    holdStages,
    ...(residual ? { residual } : {}),
    holdRules,
    limitationYears: policy.limitationYears ?? 3,
    calendar: workingCalendarOf(policy),
    channelRules: Object.fromEntries(CHANNELS.map((c) => [c, resolveChannelRule(c, policy.contact)])) as Record<Channel, ResolvedChannelRule>,
    frequency: resolveFrequencyRules(policy.contact),
    protections: policy.protections ?? [],
    windows: new Map(),
  };
}
