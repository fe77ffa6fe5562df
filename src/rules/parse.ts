/**
 * Loading a policy: JSON → schema check → `extends` resolved → cross-field checks. Problems come
 * back as data (`safeParsePolicy`) or as one `PolicyError` listing all of them (`parsePolicy`).
 */
import { builtinPolicySource, isBuiltinPolicyId, BUILTIN_POLICY_IDS } from "./builtins.js";
import { PolicyError, type Issue } from "./errors.js";
import { fromZodIssues } from "./issues.js";
import { conditionFacts } from "./conditions.js";
import { FACTS } from "./facts.js";
import { forbiddenMeasures } from "./forbidden.js";
import { DEADLINE_KINDS } from "./kinds.js";
import { RRule } from "./rrule.js";
import { PolicyFileSchema, PolicySchema, type Policy, type PolicyFile, type Stage, type StagePatch } from "./schema.js";

/** Ids of the stages the scheduler makes for holds (follow-ups, instalment reminders). */
export const RESERVED_STAGE_IDS = ["dispute_follow_up", "promise_follow_up", "instalment_reminder", "plan_broken_notice"] as const;

export type ParseResult = { ok: true; value: Policy } | { ok: false; issues: Issue[] };

/**
 * Checks a policy (a parsed JSON value or JSON text) and resolves `extends`.
 *
 * @example
 * const r = safeParsePolicy({ extends: "residential", id: "my-estate", version: "1",
 *   stages: [{ id: "dunning_notice", trigger: { type: "billingMonthDay", monthOffset: 0, day: 32 } }] });
 * // r.ok === false; r.issues[0] is
 * // { path: "stages[0].trigger.day", message: "must be 1–31 (got 32)", code: "too_big" }
 */
export function safeParsePolicy(input: unknown): ParseResult {
  let json = input;
  if (typeof input === "string") {
    try {
      json = JSON.parse(input);
    } catch (error) {
      return { ok: false, issues: [{ code: "invalid_json", path: "", message: `not JSON: ${(error as Error).message}` }] };
    }
  }
  const forbidden = forbiddenMeasures(json);
  if (forbidden.length > 0) return { ok: false, issues: forbidden };
  const file = PolicyFileSchema.safeParse(json, { reportInput: true });
  if (!file.success) return { ok: false, issues: fromZodIssues(file.error.issues) };

  const merged = resolveExtends(file.data);
  if (!merged.ok) return merged;
  const full = PolicySchema.safeParse(merged.value, { reportInput: true });
  if (!full.success) return { ok: false, issues: fromZodIssues(full.error.issues) };
  const issues = crossCheck(full.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: full.data };
}

/** Like `safeParsePolicy`, but throws a `PolicyError` listing every problem. */
export function parsePolicy(input: unknown, source?: string): Policy {
  const result = safeParsePolicy(input);
  if (!result.ok) throw new PolicyError(result.issues, source);
  return result.value;
}

function resolveExtends(file: PolicyFile): { ok: true; value: unknown } | { ok: false; issues: Issue[] } {
  const { extends: base, ...own } = file;
  if (base === undefined) {
    const patchOnly = (own.stages ?? []).flatMap((s, i) =>
      s.disabled !== undefined || s.insertAfter !== undefined
        ? [{ code: "extends_only", path: `stages[${i}]`, message: "disabled and insertAfter only apply with extends" }]
        : [],
    );
    return patchOnly.length > 0 ? { ok: false, issues: patchOnly } : { ok: true, value: own };
  }
  if (!isBuiltinPolicyId(base))
    return { ok: false, issues: [{ code: "unknown_base", path: "extends", message: `must name a built-in policy: ${BUILTIN_POLICY_IDS.join(", ")} (got ${JSON.stringify(base)})` }] };

  const parent = builtinPolicySource(base) as Policy & Record<string, unknown>;
  const stages: Array<Stage | StagePatch> = [...parent.stages];
  const issues: Issue[] = [];
  (own.stages ?? []).forEach((patch, i) => {
    const { disabled, insertAfter, ...fields } = patch;
    const at = stages.findIndex((s) => s.id === patch.id);
    if (at >= 0) {
      if (insertAfter !== undefined)
        issues.push({ code: "extends_move", path: `stages[${i}].insertAfter`, message: `stage ${JSON.stringify(patch.id)} is inherited; it keeps its place` });
      if (disabled) stages.splice(at, 1);
      else stages[at] = { ...stages[at], ...fields };
      return;
    }
    if (disabled) {
      issues.push({ code: "unknown_stage", path: `stages[${i}].id`, message: `${base} has no stage ${JSON.stringify(patch.id)} to disable` });
      return;
    }
    if (insertAfter === undefined) stages.push(fields);
    else {
      const after = stages.findIndex((s) => s.id === insertAfter);
      if (after < 0) issues.push({ code: "unknown_stage", path: `stages[${i}].insertAfter`, message: `no stage ${JSON.stringify(insertAfter)} to insert after` });
      else stages.splice(after + 1, 0, fields);
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  const { $schema: _ignored, ...inherited } = parent;
  return { ok: true, value: { ...inherited, ...own, stages } };
}

/** Rules that span fields: unique ids, references that exist, a stated basis for a non-statutory payment order, a parsable billing rule. */
function crossCheck(policy: Policy): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  policy.stages.forEach((stage, i) => {
    const at = `stages[${i}]`;
    if ((RESERVED_STAGE_IDS as readonly string[]).includes(stage.id))
      issues.push({ code: "reserved_stage", path: `${at}.id`, message: `${JSON.stringify(stage.id)} is the scheduler's own hold stage; choose another id` });
    if (seen.has(stage.id)) issues.push({ code: "duplicate_stage", path: `${at}.id`, message: `duplicate stage id ${JSON.stringify(stage.id)} (also stages[${seen.get(stage.id)}])` });
    const trigger = stage.trigger;
    if (trigger.type === "afterStage") {
      const ref = seen.get(trigger.stage);
      if (ref === undefined)
        issues.push({ code: "unknown_stage", path: `${at}.trigger.stage`, message: `must name a stage listed earlier (got ${JSON.stringify(trigger.stage)})` });
    }
    if (stage.deadlineDays !== undefined && !DEADLINE_KINDS.has(stage.kind))
      issues.push({ code: "deadline_kind", path: `${at}.deadlineDays`, message: `only a finalNotice or formalLetter states a deadline (this stage is a ${stage.kind})` });
    if (stage.conditions) {
      let facts: string[] = [];
      try {
        facts = conditionFacts(stage.conditions);
      } catch (error) {
        issues.push({ code: "invalid_condition", path: `${at}.conditions`, message: (error as Error).message });
      }
      for (const fact of facts)
        if (!(fact in FACTS))
          issues.push({ code: "unknown_fact", path: `${at}.conditions`, message: `unknown fact ${JSON.stringify(fact)}; the facts are ${Object.keys(FACTS).join(", ")}` });
    }
    seen.set(stage.id, i);
  });
  // DOMAIN.md (decided 2026-12-06): an order other than the statutory one is a contract term, and the file says so.
  if (policy.paymentOrder !== undefined && policy.paymentOrder !== "costsLateFeePrincipal" && policy.paymentOrderContractTerm === undefined)
    issues.push({
      code: "payment_order_basis",
      path: "paymentOrder",
      message: `${JSON.stringify(policy.paymentOrder)} departs from the statutory order (Civil Code art. 561: costs, then interest, then principal): state the contract term in paymentOrderContractTerm`,
    });
  const rule = policy.billingCycle.rrule;
  if (/DTSTART|TZID|UNTIL|COUNT/i.test(rule))
    issues.push({ code: "invalid_rrule", path: "billingCycle.rrule", message: "must not contain DTSTART, TZID, UNTIL or COUNT: charges come from the ledger, the rule states only the cycle" });
  else {
    try {
      const options = RRule.parseString(rule.replace(/^RRULE:/i, ""));
      if (options.freq === undefined) throw new Error("FREQ is required");
    } catch (error) {
      issues.push({ code: "invalid_rrule", path: "billingCycle.rrule", message: `not a valid RRULE: ${(error as Error).message} (got ${JSON.stringify(rule)})` });
    }
  }
  return issues;
}
