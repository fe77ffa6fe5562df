/**
 * What remains after the principal (issue 18, item 5): a late fee (滞纳金 / 违约金) still owed on a
 * charge whose principal is paid. The ladder counts payments against principal only (art. 560,
 * oldest first), so without this field a fee left behind is never chased and never waived: it
 * stays owed, silently. With it, the policy says what happens, explicitly:
 *
 * - `reminders`: the fee's own small ladder, each step N days after the day the charge's principal
 *   was paid (an owner-facing action with the amount left and why);
 * - `waive`: after N days, a staff task a person confirms, waiving what is left (S1, S2: waiving late
 *   fees rewards good payers). Once the task is recorded, the fee is not chased again.
 *
 * Under the statutory order (Civil Code art. 561: costs, then interest, then principal) a payment
 * pays the fee first, so what remains after a payment of the principal's amount is principal of
 * the fee's size, not fee; the ladder counting principal first sees it as paid all the same. The
 * field covers both: it acts on what the payments left on a charge the ladder counts as paid.
 */
import { z } from "zod";
import type { Issue } from "./errors.js";
import { CHANNELS, STAFF_CHANNELS, STAGE_KIND_TABLE, type Channel, type StageKind } from "./kinds.js";

function intRange(min: number, max: number) {
  return z.int({ error: `must be a whole number from ${min} to ${max}` }).min(min, { error: `must be ${min}–${max}` }).max(max, { error: `must be ${min}–${max}` });
}

const STEP_ID = /^[a-z][a-z0-9_]{0,63}$/;
const stepId = z.string().regex(STEP_ID, { error: "must be lower_snake_case: a letter, then letters, digits or _ (64 at most)" });

/**
 * The kinds a reminder about a remaining fee may be, read from the rows: an owner-facing kind that
 * states no deadline, threatens no court and does not end the ladder. A fee alone never opens the
 * way to a lawyer's letter (the ladder counts principal only).
 */
export const RESIDUAL_REMINDER_KINDS = (Object.keys(STAGE_KIND_TABLE) as StageKind[]).filter((k) => {
  const row = STAGE_KIND_TABLE[k];
  return row.audience === "owner" && !row.writtenDemand && !row.legal && row.terminal === null;
}) as readonly StageKind[] as readonly [StageKind, ...StageKind[]];

export const ResidualFeeReminderSchema = z
  .strictObject({
    id: stepId.describe("Stable id of the step; recorded actions name it (`account:id@charge`), so it must differ from every stage id."),
    kind: z.enum(RESIDUAL_REMINDER_KINDS).describe(`What the action is: ${RESIDUAL_REMINDER_KINDS.map((k) => `\`${k}\``).join(", ")} (an owner-facing kind with no deadline, no legal step).`),
    title: z.string().max(200).optional().describe("A human title, e.g. 违约金缴纳提醒."),
    channels: z.array(z.enum(CHANNELS)).min(1, { error: "must name at least one channel" }).describe("How it reaches the owner; not a staff channel."),
    daysAfterPrincipalPaid: intRange(1, 3660).describe("Days after the day the charge's principal was paid (that day not counted). Steps ascend."),
    source: z.string().max(500).optional().describe("Where the rule comes from (a contract clause, a source document), for auditors."),
  })
  .describe("One reminder about a late fee left on a charge whose principal is paid.");

export const ResidualFeeWaiveSchema = z
  .strictObject({
    id: stepId.describe("Stable id of the waiver task; recorded actions name it (`account:id@charge`), so it must differ from every stage id."),
    title: z.string().max(200).optional().describe("A human title, e.g. 违约金减免确认."),
    daysAfterPrincipalPaid: intRange(1, 3660).describe("Days after the day the charge's principal was paid; after every reminder's day."),
    source: z.string().max(500).optional().describe("Where the rule comes from (S1, S2: waiving late fees), for auditors."),
  })
  .describe("A staff task, to be confirmed by a person (`requiresReview`), to waive what is left of the fee. Recording it ends the fee's reminders for that charge.");

export const ResidualLateFeeSchema = z
  .strictObject({
    reminders: z.array(ResidualFeeReminderSchema).max(12).optional().describe("The fee's own small ladder, in order of their days."),
    waive: ResidualFeeWaiveSchema.optional(),
  })
  .describe(
    "What happens to a late fee left on a charge once its principal is paid (payments counted principal first, oldest charge first, as the ladder counts them) while no principal is overdue: reminders, a waiver a person confirms, or both. Needs `lateFee`. Omitted (the behaviour before this field): nothing is ever planned for such a fee; it stays owed (`computeLateFees` and `explain` show it) but no action chases or waives it. Under the statutory order (art. 561) what is left is principal of the fee's size, which the ladder counts as paid all the same.",
  );

export type ResidualFeeReminder = z.infer<typeof ResidualFeeReminderSchema>;
export type ResidualFeeWaive = z.infer<typeof ResidualFeeWaiveSchema>;
export type ResidualLateFee = z.infer<typeof ResidualLateFeeSchema>;

/**
 * The references of `residualLateFee` that one field's schema cannot check: it needs a late-fee
 * clause; its ids are new (not a stage's, not the scheduler's own, not each other's); reminders
 * reach the owner; the days ascend and the waiver comes last.
 */
export function residualFeeIssues(policy: { stages: readonly { id: string }[]; lateFee?: unknown; residualLateFee?: ResidualLateFee }, reserved: readonly string[]): Issue[] {
  const r = policy.residualLateFee;
  if (r === undefined) return [];
  const issues: Issue[] = [];
  const at = "residualLateFee";
  if (policy.lateFee === undefined) issues.push({ code: "residual_without_late_fee", path: at, message: "needs a lateFee clause: without one no fee is owed, so none can remain" });
  if ((r.reminders ?? []).length === 0 && r.waive === undefined) issues.push({ code: "residual_empty", path: at, message: "say what happens: at least one reminder, or waive" });
  const taken = new Map<string, string>();
  for (const [i, s] of policy.stages.entries()) taken.set(s.id, `stages[${i}]`);
  for (const id of reserved) taken.set(id, "the scheduler's own stages");
  const claim = (id: string, path: string) => {
    const other = taken.get(id);
    if (other !== undefined) issues.push({ code: "duplicate_stage", path: `${path}.id`, message: `${JSON.stringify(id)} is already used (${other}); recorded actions name the step by its id` });
    else taken.set(id, path);
  };
  let last = 0;
  for (const [i, step] of (r.reminders ?? []).entries()) {
    const path = `${at}.reminders[${i}]`;
    claim(step.id, path);
    for (const [j, channel] of step.channels.entries())
      if (STAFF_CHANNELS.has(channel)) issues.push({ code: "staff_channel", path: `${path}.channels[${j}]`, message: `a reminder about the fee is for the owner: ${channel} reaches only staff` });
    if (step.daysAfterPrincipalPaid <= last) issues.push({ code: "residual_order", path: `${path}.daysAfterPrincipalPaid`, message: `must be later than the reminder before it (${last} days)` });
    last = Math.max(last, step.daysAfterPrincipalPaid);
  }
  if (r.waive) {
    claim(r.waive.id, `${at}.waive`);
    if (r.waive.daysAfterPrincipalPaid <= last)
      issues.push({ code: "residual_order", path: `${at}.waive.daysAfterPrincipalPaid`, message: `must be later than the last reminder (${last} days): no reminder follows a waiver` });
  }
  return issues;
}

/** A residual step as a stage the scheduler compiles (a `Stage` of schema.ts; its trigger a placeholder, the day is counted from the principal's payment). */
export interface ResidualStepStage {
  id: string;
  kind: StageKind;
  title?: string;
  channels: Channel[];
  trigger: { type: "dueDate"; offsetDays: 0 };
  requiresReview?: boolean;
  source?: string;
}

/** The kind of the waiver task: a staff follow-up that a person confirms (`requiresReview`). */
const WAIVER_KIND: StageKind = "staffFollowUp";
const WAIVER_TITLE = "违约金减免确认";

/**
 * The steps of `residualLateFee` as stages, each with its day after the principal was paid;
 * undefined without the field (or without a late-fee clause, which validate refuses).
 */
export function residualSteps(policy: { lateFee?: unknown; residualLateFee?: ResidualLateFee }): { reminders: Array<{ stage: ResidualStepStage; days: number }>; waiver?: { stage: ResidualStepStage; days: number } } | undefined {
  const r = policy.residualLateFee;
  if (r === undefined || policy.lateFee === undefined) return undefined;
  const trigger = { type: "dueDate", offsetDays: 0 } as const;
  const reminders = (r.reminders ?? []).map((s) => ({
    stage: { id: s.id, kind: s.kind, ...(s.title ? { title: s.title } : {}), channels: s.channels, trigger, ...(s.source ? { source: s.source } : {}) },
    days: s.daysAfterPrincipalPaid,
  }));
  const w = r.waive;
  if (!w) return { reminders };
  const stage: ResidualStepStage = { id: w.id, kind: WAIVER_KIND, title: w.title ?? WAIVER_TITLE, channels: [...STAFF_CHANNELS], trigger, requiresReview: true, ...(w.source ? { source: w.source } : {}) };
  return { reminders, waiver: { stage, days: w.daysAfterPrincipalPaid } };
}
