/**
 * The policy file: what an estate's policy says and how it is loaded. Its schema (zod, and the
 * JSON Schema made from it), loading and validation with every problem located, the built-ins
 * (S2's timelines), the vocabularies (stage kinds, channels, triggers: one table each), the
 * conditions, and the sections for late fees, rates, contact hours, holds and protections.
 * Errors: one base class with a subclass and a guard per kind. No I/O, no clock.
 */
export { parsePolicy, safeParsePolicy, type ParseResult } from "./parse.js";
export { PolicyError, PropertyDunningError, isPolicyError, isPropertyDunningError, formatIssues, type Issue } from "./errors.js";
export { InvalidArgumentError, isInvalidArgumentError, ARGUMENT_ERROR_CODES, CalendarError, isCalendarError, CALENDAR_ERROR_CODES, type ArgumentErrorCode, type CalendarErrorCode } from "./errors.js";
export { BUILTIN_POLICY_IDS, builtinPolicySource, isBuiltinPolicyId, type BuiltinPolicyId } from "./builtins.js";
export {
  PolicySchema,
  PolicyFileSchema,
  StageSchema,
  TriggerSchema,
  ConditionSchema,
  OPERATORS,
  type Policy,
  type PolicyFile,
  type Stage,
  type StagePatch,
  type Trigger,
  type Condition,
  type TopLevelCondition,
  type Operator,
} from "./schema.js";
export { STAGE_KIND_TABLE, CHANNEL_TABLE, STAGE_KINDS, CHANNELS, KIND_SEVERITY, isDunningClass, type StageKind, type Channel } from "./kinds.js";
export { TRIGGER_TABLE, describeTrigger, type TriggerType, type Ladder } from "./vocabulary-triggers.js";
export { FACTS, FACT_NAMES, type FactName } from "./facts.js";
export { compileCondition, describeCondition, conditionFacts, ConditionError, isConditionError, type CompiledCondition, type Facts } from "./conditions.js";
export { policyJsonSchema } from "./json-schema.js";
export { LateFeeClauseSchema, BUILTIN_LATE_FEE, ROUNDING_MODES, describeAccrual, type LateFeeClause, type RoundingMode } from "./late-fee.js";
export { RateRulesSchema, BUILTIN_RATES, OCCUPANCIES, assessCharge, type RateRules, type Occupancy, type Assessment, type OccupancyPeriod } from "./rates.js";
export { ContactRulesSchema, CalendarRulesSchema, BUILTIN_CONTACT, WIDEST_CONTACT_HOURS, type ContactRules, type CalendarRules } from "./contact.js";
export { HoldRulesSchema, DEFAULT_HOLD_RULES, type HoldRules } from "./holds.js";
export { ProtectionSchema, CHANNEL_HARSHNESS, OFFERS, type Protection, type Offer } from "./protections.js";
export { FORBIDDEN_MEASURE_MESSAGE } from "./forbidden.js";
export { RESERVED_STAGE_IDS } from "./parse.js";
