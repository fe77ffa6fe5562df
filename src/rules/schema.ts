/**
 * The policy file schema. It stays JSON-native (no dates, no functions) so that the same file
 * validates here, in an editor through `schema/policy.schema.json`, and in a vendor's own tools.
 * Every field carries a description; the JSON Schema and the policy reference are made from them.
 */
import { IANAZone } from "luxon";
import { z } from "zod";
import { CalendarRulesSchema, ContactRulesSchema } from "./contact.js";
import { HoldRulesSchema } from "./holds.js";
import { LateFeeClauseSchema } from "./late-fee.js";
import { RateRulesSchema } from "./rates.js";
import { ResidualLateFeeSchema } from "./residual-fee.js";
import { CHANNELS, CHANNEL_DESCRIPTIONS, KIND_DESCRIPTIONS, STAGE_KINDS } from "./kinds.js";
import { ProtectionSchema } from "./protections.js";
import { OwnerRulesSchema } from "./owners.js";
import { FACT_PATH, factPathError } from "./fact-path.js";
import { ContinuesSchema } from "./versions.js";

function intRange(min: number, max: number) {
  return z.int({ error: `must be a whole number from ${min} to ${max}` }).min(min, { error: `must be ${min}–${max}` }).max(max, { error: `must be ${min}–${max}` });
}

const STAGE_ID = /^[a-z][a-z0-9_]{0,63}$/;
const stageId = z
  .string()
  .regex(STAGE_ID, { error: "must be lower_snake_case: a letter, then letters, digits or _ (64 at most)" });

const POLICY_ID = /^[a-z][a-z0-9_.-]{0,63}$/;

// ---------------------------------------------------------------------------------------------
// Conditions: json-rules-engine's JSON format, so that vendors who know it can write them.

export const OPERATORS = [
  "equal",
  "notEqual",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
  "in",
  "notIn",
  "contains",
  "doesNotContain",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** A JSON value: what a condition compares a fact with. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const jsonValue: z.ZodType<Json> = z.lazy(() => jsonUnion);
const jsonUnion: z.ZodType<Json> = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]);
// An object with a `fact` key is a reference to another fact for the engine, never a constant:
// it must pass as a FactReference or not at all (else a bad reference validates and then fails to compile).
const notAReference = z.string().regex(/^(?!fact$)/, { error: "an object with a \"fact\" key is a reference to another fact: { \"fact\": …, \"path\"?: … }" });
const jsonConstant: z.ZodType<Json> = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(notAReference, jsonValue)]);

const factPath = z
  .string()
  .regex(FACT_PATH, { error: (issue) => factPathError(issue.input) })
  .describe("JSONPath into the fact's value, as json-rules-engine's `path`: `$.a.b`, `$['a']`, `$.a[0]`; plain keys only.");

export const FactReferenceSchema = z
  .strictObject({
    fact: z.string().min(1).describe("Name of another fact to compare against."),
    path: factPath.optional(),
  })
  .describe("Compare against another fact's value instead of a constant.");

export const FactConditionSchema = z
  .strictObject({
    fact: z.string().min(1).describe("Name of the fact to test; see the policy reference for the facts the scheduler provides."),
    operator: z.enum(OPERATORS).describe("json-rules-engine operator."),
    value: z.union([FactReferenceSchema, jsonConstant]).describe("The value to compare with, or `{ \"fact\": … }` to compare with another fact."),
    path: factPath.optional(),
    name: z.string().optional().describe("A label for people; shown in an action's `because`."),
    priority: z.int().min(1).optional().describe("Evaluation order hint, accepted for json-rules-engine compatibility; does not change the result."),
  })
  .describe("One test of one fact.");

export type FactCondition = z.infer<typeof FactConditionSchema>;
export type Condition =
  | FactCondition
  | { all: Condition[]; name?: string; priority?: number }
  | { any: Condition[]; name?: string; priority?: number }
  | { not: Condition; name?: string; priority?: number };

const nameAndPriority = {
  name: z.string().optional().describe("A label for people; shown in an action's `because`."),
  priority: z.int().min(1).optional().describe("Accepted for json-rules-engine compatibility; does not change the result."),
};

// Built once and referenced lazily, so that the JSON Schema gets one recursive definition.
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() => conditionUnion);
const conditionUnion: z.ZodType<Condition> = z.union([
  z.strictObject({ all: z.array(ConditionSchema).describe("True when every condition holds."), ...nameAndPriority }),
  z.strictObject({ any: z.array(ConditionSchema).describe("True when at least one condition holds."), ...nameAndPriority }),
  z.strictObject({ not: ConditionSchema.describe("True when the condition does not hold."), ...nameAndPriority }),
  FactConditionSchema,
]);

/** A stage's conditions: json-rules-engine's top level is `all`, `any` or `not`. */
export type TopLevelCondition = Exclude<Condition, FactCondition>;
export const TopLevelConditionSchema = z
  .union([
    z.strictObject({ all: z.array(ConditionSchema).describe("True when every condition holds."), ...nameAndPriority }),
    z.strictObject({ any: z.array(ConditionSchema).describe("True when at least one condition holds."), ...nameAndPriority }),
    z.strictObject({ not: ConditionSchema.describe("True when the condition does not hold."), ...nameAndPriority }),
  ])
  .describe("Extra conditions in json-rules-engine's format (`all`/`any`/`not` of `fact`/`operator`/`value`/`path`); the stage is due only when they hold.");

// ---------------------------------------------------------------------------------------------
// Triggers: every form the seeds use.

export const BillingMonthDayTriggerSchema = z
  .strictObject({
    type: z.literal("billingMonthDay").describe("A calendar day relative to the charge's billing month."),
    monthOffset: intRange(0, 24).describe("0 = the billing month itself, 1 = the next month (S2: \"次月\")."),
    day: intRange(1, 31).describe("Day of that month; past the month's end means its last day (31 in February is the 28th or 29th)."),
  })
  .describe("Day N of the billing month or a later month, e.g. S2's \"day 25 of the same month\" or \"day 5 of the next month\".");

export const DueDateTriggerSchema = z
  .strictObject({
    type: z.literal("dueDate").describe("Days before or after the charge's due date."),
    offsetDays: intRange(-366, 3660).describe("Negative: days before the due date (S3's reminder one week before is -7); positive: days after (S1's first dunning 5–7 days after due)."),
  })
  .describe("A number of days before or after the charge's due date.");

export const AfterStageTriggerSchema = z
  .strictObject({
    type: z.literal("afterStage").describe("Days after another stage was actually carried out."),
    stage: stageId.describe("Id of the stage this one follows; it must come earlier in `stages`."),
    days: intRange(1, 3660).describe("Days after the recorded date of that stage (S1: second dunning 10–15 days after the first)."),
  })
  .describe("A number of days after another stage was actually carried out (its recorded date, not its planned one).");

export const BeforeLimitationTriggerSchema = z
  .strictObject({
    type: z.literal("beforeLimitation").describe("Days before the limitation date of each unpaid charge, restarts counted."),
    days: intRange(1, 1095).describe("How many days before a charge's 3-year limitation period (Civil Code art. 188) ends; built-ins: 180. A later start catches up at once while the date is ahead."),
  })
  .describe("A number of days before each unpaid charge's limitation date, so that no debt silently expires. For a staff kind (legalReview) it waits for nothing the owner's ladder does, and no hold stops it.");

export const ArrearsMonthsTriggerSchema = z
  .strictObject({
    type: z.literal("arrearsMonths").describe("Whole months in arrears."),
    months: intRange(1, 240).describe("Whole months from the due date of the oldest charge still unpaid (S2: 3, 4, 6, more than 12)."),
  })
  .describe("Months in arrears: whole months from the due date of the oldest charge still unpaid. One ladder per account, not per charge.");

export const TriggerSchema = z
  .discriminatedUnion("type", [BillingMonthDayTriggerSchema, DueDateTriggerSchema, AfterStageTriggerSchema, ArrearsMonthsTriggerSchema, BeforeLimitationTriggerSchema], {
    error: "must have a type of billingMonthDay, dueDate, afterStage, arrearsMonths or beforeLimitation",
  })
  .describe("When the stage falls due.");

export type Trigger = z.infer<typeof TriggerSchema>;

// ---------------------------------------------------------------------------------------------
// Stages and the policy.

const stageFields = {
  id: stageId.describe("Stable id of the stage; recorded actions name it, so do not rename a stage in use."),
  kind: z.enum(STAGE_KINDS).describe(`What the action is: ${STAGE_KINDS.map((k) => `\`${k}\` ${KIND_DESCRIPTIONS[k]}`).join(" ")}`),
  title: z.string().max(200).optional().describe("A human title, e.g. 催费通知书."),
  channels: z
    .array(z.enum(CHANNELS).describe(`A channel: ${CHANNELS.map((c) => `\`${c}\` ${CHANNEL_DESCRIPTIONS[c]}`).join(" ")}`))
    .min(1, { error: "must name at least one channel" })
    .describe("How the action reaches the owner, all of them (e.g. a door posting and an SMS)."),
  trigger: TriggerSchema,
  conditions: TopLevelConditionSchema.optional(),
  minGapDays: intRange(1, 3660)
    .optional()
    .describe("At least this many days after the previous warning of the same ladder was carried out. Default: the gap between the two stages' regular dates, kept only when the previous warning was carried out later than it was first owed (a late start, a hold, a wait), so a late start keeps the timeline's spacing while a warning on time leaves the next one its own calendar day."),
  deadlineDays: intRange(1, 365)
    .optional()
    .describe("For a final notice or formal letter: the owner has this many days to pay (default 15 for a final notice)."),
  requiresReview: z.boolean().optional().describe("A person must review and approve the action before it is carried out (\"special cases excepted\")."),
  source: z.string().max(500).optional().describe("Where the rule comes from (a source document, a contract clause), for auditors."),
  description: z.string().max(2000).optional().describe("Notes for people."),
};

export const StageSchema = z.strictObject(stageFields).describe("One step of the collection timeline.");
export type Stage = z.infer<typeof StageSchema>;

export const StagePatchSchema = StageSchema.partial()
  .extend({
    id: stageFields.id,
    disabled: z.boolean().optional().describe("With `extends`: drop the inherited stage of this id."),
    insertAfter: stageId.optional().describe("With `extends`: place a new stage right after the stage of this id (default: at the end)."),
  })
  .describe("With `extends`: a stage that overrides the inherited stage of the same id field by field, or adds a new one.");

export const CurrencySchema = z
  .strictObject({
    code: z.string().regex(/^[A-Z]{3}$/, { error: "must be an ISO 4217 code such as CNY" }).describe("ISO 4217 currency code."),
    minorDigits: intRange(0, 4).describe("Digits of the minor unit: 2 for CNY (fen) and USD (cents). Amounts are integers of minor units."),
  })
  .describe("The currency all amounts are in.");

export const BillingCycleSchema = z
  .strictObject({
    rrule: z
      .string()
      .min(1)
      .describe("An RFC 5545 RRULE without DTSTART or TZID, e.g. FREQ=MONTHLY;BYMONTHDAY=1. It states when charges are issued; the ledger holds the charges themselves."),
    dueDay: intRange(1, 31).optional().describe("Day of the billing month on which a charge is due, when the ledger does not say (default 1)."),
  })
  .describe("The billing cycle.");

const timeZone = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), { error: "must be an IANA time zone such as Asia/Shanghai" })
  .describe("IANA time zone of the estate. Civil dates in ledgers and actions are in this zone.");

const policyFields = {
  $schema: z.string().optional().describe("Path or URL of policy.schema.json, for editors."),
  id: z.string().regex(POLICY_ID, { error: "must be lower case: a letter, then letters, digits, _ . or -" }).describe("Id of the policy; actions name it."),
  version: z.string().min(1).max(64).describe("Version of the policy, e.g. 2026.1; actions name it, so that an auditor finds the text in force."),
  name: z.string().max(200).optional().describe("Human name."),
  description: z.string().max(4000).optional().describe("Notes for people."),
  segment: z.enum(["residential", "commercial"]).optional().describe("The kind of unit the policy is written for."),
  timeZone,
  currency: CurrencySchema,
  billingCycle: BillingCycleSchema,
  stages: z.array(StageSchema).min(1, { error: "must hold at least one stage" }).describe("The collection timeline, in order. Within a ladder (charge or arrears), a warning follows the one before it."),
  calendar: CalendarRulesSchema.optional(),
  contact: ContactRulesSchema.optional(),
  holds: HoldRulesSchema.partial().optional().describe("How holds the ledger states are treated: dispute deadlines, instalment reminders and grace, follow-up channels. Omitted fields take S2's values."),
  protections: z.array(ProtectionSchema).optional().describe("Gentler treatment for owners by tag (elderly, disabled, hardship)."),
  owners: OwnerRulesSchema.optional(),
  lateFee: LateFeeClauseSchema.optional().describe("The late-fee clause of the service contract, if it has one (S3: only as the contract provides and within regulations). Omitted: no late fee."),
  paymentOrder: z
    .enum(["costsLateFeePrincipal", "principalFirst"])
    .optional()
    .describe("Within a charge, what a payment pays first: costs, then late fee, then principal (Civil Code art. 561, the default), or principal first where the contract says so. Charges are always paid oldest due first (art. 560)."),
  paymentOrderContractTerm: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe("Required when `paymentOrder` is not the statutory `costsLateFeePrincipal`: the contract term (or statute) that sets the other order (Civil Code art. 561 departs from costs, interest, principal only by agreement). Principal first favours the owner; the estate must confirm its contract says so."),
  residualLateFee: ResidualLateFeeSchema.optional(),
  rates: RateRulesSchema.optional().describe("Reduced rates by occupancy, e.g. S2's entrusted unit (托管房) at 70%. Omitted: every unit pays the full rate."),
  continues: ContinuesSchema.optional(),
  limitationYears: intRange(1, 30).optional().describe("The limitation period in years (Civil Code art. 188: 3), restarted by a delivered written demand, a partial payment, an installment plan or a filed lawsuit or arbitration (art. 195; a lawsuit restarts it when the proceedings end, counted from filing as the earliest bound)."),
};

/** A complete, resolved policy. */
export const PolicySchema = z.strictObject(policyFields).describe("A property-dunning collection policy.");
export type Policy = z.infer<typeof PolicySchema>;

/** What a policy file may hold: a complete policy, or `extends` plus what it changes. */
export const PolicyFileSchema = z
  .strictObject({
    ...policyFields,
    extends: z.string().regex(POLICY_ID).optional().describe("Id of a built-in policy (residential, commercial, relative) to start from; fields given here replace the inherited ones, stages merge by id."),
    timeZone: timeZone.optional(),
    currency: CurrencySchema.optional(),
    billingCycle: BillingCycleSchema.optional(),
    stages: z.array(StagePatchSchema).optional().describe("The collection timeline, in order; with `extends`, stages that override or add to the inherited ones by id."),
  })
  .describe("A property-dunning policy file.");
export type PolicyFile = z.infer<typeof PolicyFileSchema>;
export type StagePatch = z.infer<typeof StagePatchSchema>;
