/** What a policy says: its schema, loading and validation, conditions. No I/O, no clock. */
export { parsePolicy, safeParsePolicy, type ParseResult } from "./parse.js";
export { PolicyError, PropertyDunningError, isPolicyError, isPropertyDunningError, formatIssues, type Issue } from "./errors.js";
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
export { STAGE_KINDS, CHANNELS, KIND_SEVERITY, isDunningClass, type StageKind, type Channel } from "./kinds.js";
export { FACTS, FACT_NAMES, type FactName } from "./facts.js";
export { compileCondition, describeCondition, conditionFacts, type CompiledCondition, type Facts } from "./conditions.js";
export { policyJsonSchema } from "./json-schema.js";
