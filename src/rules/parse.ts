/**
 * Loading a policy: JSON → schema check → `extends` resolved → cross-field checks. Problems come
 * back as data (`safeParsePolicy`) or as one `PolicyError` listing all of them (`parsePolicy`).
 */
import { builtinPolicySource, isBuiltinPolicyId, BUILTIN_POLICY_IDS } from "./builtins.js";
import { PolicyError, type Issue } from "./errors.js";
import { fromZodIssues } from "./issues.js";
import { formatJsonSyntaxError, jsonSyntaxError } from "./json-syntax.js";
import { calendarConflicts } from "./contact.js";
import { ConditionError, compileCondition, conditionFacts, conditionLeaves } from "./conditions.js";
import { FACTS, LIST_FACTS, type FactName } from "./facts.js";
import { conditionDepthIssues, documentIssues, parsePolicyText } from "./document.js";
import { forbiddenMeasures } from "./forbidden.js";
import { DEADLINE_KINDS, LEGAL_KINDS, PUBLIC_CHANNELS, STAFF_CHANNELS, STAGE_KIND_TABLE, TERMINAL_KINDS } from "./kinds.js";
import { RRule } from "./rrule.js";
import { residualFeeIssues } from "./residual-fee.js";
import { TRIGGER_TABLE, predecessorOf } from "./vocabulary-triggers.js";
import { continuesIssues } from "./versions.js";
import { PolicyFileSchema, PolicySchema, type Policy, type PolicyFile, type Stage, type StagePatch } from "./schema.js";

/**
 * The stage id of a person's reopening record: an action recorded with this stage reopens an
 * account at the end of the road (schedule/ladder/terminal.ts; docs/ledger-format.md).
 */
export const REOPEN_STAGE_ID = "reopen";

/** Ids of the stages the scheduler makes for holds (follow-ups, instalment reminders), and of a person's reopening record. */
export const RESERVED_STAGE_IDS = ["dispute_follow_up", "promise_follow_up", "instalment_reminder", "plan_broken_notice", REOPEN_STAGE_ID] as const;

export type ParseResult = { ok: true; value: Policy } | { ok: false; issues: Issue[] };

/**
 * Checks a policy (a parsed JSON value or JSON text) and resolves `extends`.
 *
 * @example
 * // No month has a day 32: the issue says where, and what was wrong, as data.
 * const r = safeParsePolicy({ extends: "residential", id: "my-estate", version: "1",
 *   stages: [{ id: "dunning_notice", trigger: { type: "billingMonthDay", monthOffset: 0, day: 32 } }] });
 * r.ok // => false
 * r.issues[0] // => { code: "too_big", path: "stages[0].trigger.day", message: "must be 1–31 (got 32)" }
 * safeParsePolicy(builtinPolicySource("commercial")).ok // => true
 */
export function safeParsePolicy(input: unknown): ParseResult {
  let json = input;
  const early: Issue[] = [];
  if (typeof input === "string") {
    try {
      const parsed = parsePolicyText(input);
      json = parsed.value;
      early.push(...parsed.issues);
    } catch (error) {
      // By line and column (json-syntax.ts), where an editor opens; JSON.parse's own words otherwise.
      const syntax = jsonSyntaxError(input);
      return { ok: false, issues: [{ code: "invalid_json", path: "", message: `not JSON: ${syntax ? formatJsonSyntaxError(syntax) : (error as Error).message}` }] };
    }
  }
  // Depth first: zod and the checks below recurse once per level of nesting.
  const deepConditions = conditionDepthIssues(json);
  early.push(...(deepConditions.length > 0 ? deepConditions : documentIssues(json)));
  if (early.length > 0) return { ok: false, issues: early };
  const forbidden = forbiddenMeasures(json);
  if (forbidden.length > 0) return { ok: false, issues: forbidden };
  const file = PolicyFileSchema.safeParse(json, { reportInput: true });
  if (!file.success) return { ok: false, issues: fromZodIssues(file.error.issues) };

  const merged = resolveExtends(file.data);
  if (!merged.ok) return merged;
  const full = PolicySchema.safeParse(merged.value, { reportInput: true });
  if (!full.success) return { ok: false, issues: merged.toFile(fromZodIssues(full.error.issues)) };
  const issues = [...merged.toFile(crossCheck(full.data)), ...claimsBuiltin(file.data, full.data)];
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: full.data };
}

/**
 * Checks a policy (a parsed JSON value or JSON text) and resolves `extends`, like
 * `safeParsePolicy`, but returns the policy or throws a `PolicyError` listing every problem.
 *
 * @example
 * // An estate's policy: the residential built-in (S2), with 10 days to pay after the final notice.
 * const policy = parsePolicy({ extends: "residential", id: "green-garden", version: "2026.1",
 *   stages: [{ id: "final_notice", deadlineDays: 10 }] });
 * policy.stages.find((s) => s.id === "final_notice").deadlineDays // => 10
 * // What it does not change is inherited: S2's ladder starts with the billing notice, in Shanghai time.
 * [policy.stages[0].id, policy.timeZone] // => ["billing_notice", "Asia/Shanghai"]
 * // Cutting the water to collect fees is forbidden (Civil Code art. 944): no policy may say so.
 * const refused = (() => { try { parsePolicy({ extends: "residential", id: "x", version: "1", stages: [{ id: "cut_water", kind: "staffFollowUp", title: "停水", channels: ["staffQueue"], trigger: { type: "dueDate", offsetDays: 30 } }] }); } catch (error) { return error; } })();
 * [isPolicyError(refused), refused.issues[0].code] // => [true, "forbidden_measure"]
 */
export function parsePolicy(input: unknown, source?: string): Policy {
  const result = safeParsePolicy(input);
  if (!result.ok) throw new PolicyError(result.issues, source);
  return result.value;
}

/** The merged policy, and how to give an issue about it the file's own path. */
type Merged = { ok: true; value: unknown; toFile: (issues: Issue[]) => Issue[] } | { ok: false; issues: Issue[] };

function resolveExtends(file: PolicyFile): Merged {
  const { extends: base, ...own } = file;
  if (base === undefined) {
    const patchOnly = (own.stages ?? []).flatMap((s, i) =>
      s.disabled !== undefined || s.insertAfter !== undefined
        ? [{ code: "extends_only", path: `stages[${i}]`, message: "disabled and insertAfter only apply with extends" }]
        : [],
    );
    return patchOnly.length > 0 ? { ok: false, issues: patchOnly } : { ok: true, value: own, toFile: (issues) => issues };
  }
  if (!isBuiltinPolicyId(base))
    return { ok: false, issues: [{ code: "unknown_base", path: "extends", message: `must name a built-in policy: ${BUILTIN_POLICY_IDS.join(", ")} (got ${JSON.stringify(base)})` }] };

  const parent = builtinPolicySource(base) as Policy & Record<string, unknown>;
  // Each merged stage with the index of the file's stage that added or changed it (none: inherited as is).
  const stages: Array<{ stage: Stage | StagePatch; from?: number }> = parent.stages.map((stage) => ({ stage }));
  const issues: Issue[] = [];
  const mine = new Map<string, number>();
  (own.stages ?? []).forEach((patch, i) => {
    const { disabled, insertAfter, ...fields } = patch;
    const twice = mine.get(patch.id);
    mine.set(patch.id, i);
    if (twice !== undefined) {
      issues.push({ code: "duplicate_stage", path: `stages[${i}].id`, message: `duplicate stage id ${JSON.stringify(patch.id)} (also stages[${twice}])` });
      return;
    }
    const at = stages.findIndex((s) => s.stage.id === patch.id);
    if (at >= 0) {
      if (insertAfter !== undefined)
        issues.push({ code: "extends_move", path: `stages[${i}].insertAfter`, message: `stage ${JSON.stringify(patch.id)} is inherited; it keeps its place` });
      if (disabled) stages.splice(at, 1);
      else stages[at] = { stage: { ...stages[at]!.stage, ...fields }, from: i };
      return;
    }
    if (disabled) {
      issues.push({ code: "unknown_stage", path: `stages[${i}].id`, message: `${base} has no stage ${JSON.stringify(patch.id)} to disable` });
      return;
    }
    if (insertAfter === undefined) stages.push({ stage: fields, from: i });
    else {
      const after = stages.findIndex((s) => s.stage.id === insertAfter);
      if (after < 0) issues.push({ code: "unknown_stage", path: `stages[${i}].insertAfter`, message: `no stage ${JSON.stringify(insertAfter)} to insert after` });
      else stages.splice(after + 1, 0, { stage: fields, from: i });
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  const { $schema: _ignored, ...inherited } = parent;
  // An issue about the merged stages[k] belongs to the file's stage that made it; one about a stage
  // inherited unchanged (an afterStage whose stage was disabled) is reported at `extends`.
  const toFile = (found: Issue[]): Issue[] =>
    found.map((issue) => {
      const m = /^stages\[(\d+)\](.*)$/.exec(issue.path);
      const merged = m ? stages[Number(m[1])] : undefined;
      if (!m || !merged) return issue;
      if (merged.from !== undefined) return { ...issue, path: `stages[${merged.from}]${m[2]}` };
      return { ...issue, path: "extends", message: `${base}'s stage ${JSON.stringify(merged.stage.id)}${m[2] ? ` (${m[2].replace(/^\./, "")})` : ""}: ${issue.message}` };
    });
  return { ok: true, value: { ...inherited, ...own, stages: stages.map((s) => s.stage) }, toFile };
}

/**
 * Actions name a policy by id and version so that an auditor finds the text in force: a file may
 * not claim a built-in's text. An extending policy needs its own id; a complete policy with a
 * built-in's id and version must be that built-in, unchanged.
 */
function claimsBuiltin(file: PolicyFile, policy: Policy): Issue[] {
  if (!isBuiltinPolicyId(policy.id)) return [];
  if (file.extends !== undefined)
    return [{ code: "builtin_id", path: "id", message: `${JSON.stringify(policy.id)} is the built-in policy's id; a policy that extends it needs its own, so that its actions do not claim the built-in's text` }];
  const builtin = PolicySchema.safeParse(builtinPolicySource(policy.id));
  if (!builtin.success || builtin.data.version !== policy.version) return [];
  const text = (p: Policy) => JSON.stringify({ ...p, $schema: undefined });
  if (text(builtin.data) === text(policy)) return [];
  return [{ code: "builtin_id", path: "version", message: `${policy.id} ${policy.version} is the built-in policy's text, and this file differs from it: give it its own id or version` }];
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
    const followed = predecessorOf(stage.trigger);
    if (followed !== undefined && !seen.has(followed))
      issues.push({ code: "unknown_stage", path: `${at}.trigger.stage`, message: `must name a stage listed earlier (got ${JSON.stringify(followed)})` });
    // What verify's privacy invariant forbids, decided from the file alone.
    if (LEGAL_KINDS.has(stage.kind))
      stage.channels.forEach((channel, j) => {
        if (PUBLIC_CHANNELS.has(channel))
          issues.push({ code: "public_legal_step", path: `${at}.channels[${j}]`, message: `a ${stage.kind} never goes on a ${channel}, where neighbours read it (PIPL art. 25, Civil Code art. 1033); use a private channel such as expressMail` });
      });
    // A stage addressed to staff (a review, a hand-over, a lawsuit, a write-off) is a person's
    // task: on an owner's channel it would reach the owner, and on a door it would publish a
    // debtor (PIPL art. 25, Civil Code art. 1033).
    if (STAGE_KIND_TABLE[stage.kind].audience === "staff")
      stage.channels.forEach((channel, j) => {
        if (!STAFF_CHANNELS.has(channel))
          issues.push({ code: "staff_channel", path: `${at}.channels[${j}]`, message: `a ${stage.kind} is addressed to staff: deliver it on ${[...STAFF_CHANNELS].join(" or ")} only, never on ${channel}, which reaches the owner${PUBLIC_CHANNELS.has(channel) ? " and the neighbours" : ""}` });
      });
    // Civil Code art. 944: a written demand with a deadline before suing or arbitration. The
    // ladder also waits for one delivered (plan-day.ts); a policy that lists none cannot plan it.
    if (STAGE_KIND_TABLE[stage.kind].court && !policy.stages.slice(0, i).some((s) => STAGE_KIND_TABLE[s.kind].writtenDemand))
      issues.push({ code: "court_before_demand", path: `${at}.kind`, message: `a ${stage.kind} needs a written demand with a deadline (${[...DEADLINE_KINDS].join(" or ")}) listed before it: Civil Code art. 944 requires one before suing or going to arbitration` });
    // The limitation ladder lets staff stages through every hold and demand (limitation-review.ts);
    // a terminal stage ends the owner's ladder and must wait for what holds it.
    if (TERMINAL_KINDS.has(stage.kind) && TRIGGER_TABLE[stage.trigger.type].ladder === "limitation")
      issues.push({ code: "terminal_trigger", path: `${at}.trigger`, message: `a ${stage.kind} ends the owner's ladder: trigger it on that ladder (dueDate, billingMonthDay, arrearsMonths, afterStage), not beforeLimitation, where the staff's review waits for nothing` });
    if (stage.deadlineDays !== undefined && !DEADLINE_KINDS.has(stage.kind))
      issues.push({ code: "deadline_kind", path: `${at}.deadlineDays`, message: `only a finalNotice or formalLetter states a deadline (this stage is a ${stage.kind})` });
    if (stage.conditions) {
      // The compiler is the judge of what plans: what it refuses is an issue here, at its place.
      try {
        compileCondition(stage.conditions);
      } catch (error) {
        const e = error as Error;
        issues.push(e instanceof ConditionError ? { code: "invalid_condition", path: `${at}.conditions${e.where.slice(1)}`, message: e.reason } : { code: "invalid_condition", path: `${at}.conditions`, message: e.message });
      }
      for (const { where, leaf } of conditionLeaves(stage.conditions)) {
        const ref = leaf.value as { fact?: unknown; path?: unknown } | null;
        if ((leaf.operator === "in" || leaf.operator === "notIn") && ref && typeof ref === "object" && Object.hasOwn(ref, "fact") && !(LIST_FACTS.has(ref.fact as FactName) && ref.path === undefined))
          issues.push({ code: "invalid_condition", path: `${at}.conditions${where}.value`, message: `"${leaf.operator}" against another fact needs a fact that is always a list (${[...LIST_FACTS].join(", ")}, without a path); the engine throws on any other` });
      }
      for (const fact of conditionFacts(stage.conditions))
        if (!Object.hasOwn(FACTS, fact))
          issues.push({ code: "unknown_fact", path: `${at}.conditions`, message: `unknown fact ${JSON.stringify(fact)}; the facts are ${Object.keys(FACTS).join(", ")}` });
    }
    seen.set(stage.id, i);
  });
  // residualLateFee's steps are stages the scheduler compiles and recorded actions name: a version
  // may rename one, and may not list one it still has.
  const residualIds = [...(policy.residualLateFee?.reminders ?? []).map((s) => s.id), ...(policy.residualLateFee?.waive ? [policy.residualLateFee.waive.id] : [])];
  issues.push(...continuesIssues(policy.continues, [...policy.stages.map((s) => s.id), ...residualIds], RESERVED_STAGE_IDS));
  // The working calendar refuses a day that is both closed and worked (calendar_conflict), so every
  // plan would skip every account: anything validate accepts must plan.
  for (const issue of calendarConflicts(policy.calendar ?? {})) issues.push({ ...issue, path: `calendar.${issue.path}` });
  // DOMAIN.md (decided 2026-12-06): an order other than the statutory one is a contract term, and the file says so.
  if (policy.paymentOrder !== undefined && policy.paymentOrder !== "costsLateFeePrincipal" && policy.paymentOrderContractTerm === undefined)
    issues.push({
      code: "payment_order_basis",
      path: "paymentOrder",
      message: `${JSON.stringify(policy.paymentOrder)} departs from the statutory order (Civil Code art. 561: costs, then interest, then principal): state the contract term in paymentOrderContractTerm`,
    });
  issues.push(...residualFeeIssues(policy, RESERVED_STAGE_IDS));
  const rule = policy.billingCycle.rrule;
  if (/DTSTART|TZID|UNTIL|COUNT/i.test(rule))
    issues.push({ code: "invalid_rrule", path: "billingCycle.rrule", message: "must not contain DTSTART, TZID, UNTIL or COUNT: charges come from the ledger, the rule states only the cycle" });
  else {
    try {
      const options = RRule.parseString(rule.replace(/^RRULE:/i, ""));
      // Caught just below and reported as the invalid_rrule issue: never leaves this function.
      if (options.freq === undefined) throw new Error("FREQ is required");
    } catch (error) {
      issues.push({ code: "invalid_rrule", path: "billingCycle.rrule", message: `not a valid RRULE: ${(error as Error).message} (got ${JSON.stringify(rule)})` });
    }
  }
  return issues;
}
