/**
 * Stage conditions, compiled once into plain synchronous closures that agree exactly with
 * json-rules-engine 7.3.1 (engine options `{ allowUndefinedFacts: true }`, facts passed to `run`).
 * The engine is async and allocates promises per condition; planning evaluates conditions for
 * every account on every day, so the scheduler uses these closures instead. The property test in
 * conditions.test.ts compares both on random conditions and facts.
 *
 * Facts are plain data (what the scheduler computes): an engine would call a function-valued
 * fact and await a thenable one, so those are outside the agreement.
 */
import { FACT_PATH_RULE, factPath } from "./fact-path.js";
import { OPERATORS, type Condition, type FactCondition, type Operator, type TopLevelCondition } from "./schema.js";
import { PropertyDunningError } from "./errors.js";

/** The facts one evaluation reads: fact name → value (plain data). */
export type Facts = Readonly<Record<string, unknown>>;
/** A compiled condition: synchronous, no allocation; throws only where the engine's `run` rejects. */
export type CompiledCondition = (facts: Facts) => boolean;

type Read = (facts: Facts) => unknown;
type Node = { priority: number; fn: CompiledCondition };
type Ref = { fact: string; path?: string };

const own = Object.prototype.hasOwnProperty;
const enumerable = Object.prototype.propertyIsEnumerable;
/** Numeric operators first check `Number.parseFloat(factValue)` is not NaN (engine's numberValidator). */
const numeric = (a: unknown): boolean => (typeof a === "number" ? a === a : !Number.isNaN(Number.parseFloat(a as string)));
type Indexable = { indexOf(x: unknown): number };

// The engine's default operators, verbatim (same coercions: `<` compares "10" < "9" as strings).
const OPS: Record<Operator, (a: unknown, b: unknown) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  // `value.indexOf(fact)`: a string value makes `in` a substring test with the fact coerced to a
  // string (1 in "a1", null in "null"). A fact reference that is not a string or array throws, as in the engine.
  in: (a, b) => (b as Indexable).indexOf(a) > -1,
  notIn: (a, b) => (b as Indexable).indexOf(a) === -1,
  // The fact must be an array: "elderly" contains "eld" is false, and so is its doesNotContain.
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  // Non-numeric facts (undefined, null, true, [], "abc") fail both `<` and `>=`; "3 apples" passes as 3.
  lessThan: (a, b) => numeric(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => numeric(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => numeric(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => numeric(a) && (a as number) >= (b as number),
};

const SYMBOLS: Record<Operator, string> = {
  equal: "==", notEqual: "!=", lessThan: "<", lessThanInclusive: "<=", greaterThan: ">", greaterThanInclusive: ">=",
  in: "in", notIn: "not in", contains: "contains", doesNotContain: "does not contain",
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
/** The engine treats any object value with an own `fact` key as a reference to another fact. */
const isRef = (v: unknown): v is Ref => isObject(v) && own.call(v, "fact");
/** The engine picks the first of any, all, not that the object owns. */
const junction = (c: object) => (["any", "all", "not"] as const).find((k) => own.call(c, k));

/**
 * A condition the compiler refuses (`invalid_condition`); `where` is its place below the top
 * (`$.all[0]`, also `path`), `reason` what is wrong.
 */
export class ConditionError extends PropertyDunningError {
  declare readonly code: "invalid_condition";
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super("invalid_condition", `condition ${where}: ${reason}`, { path: where });
    this.name = "ConditionError";
  }
}

export function isConditionError(error: unknown): error is ConditionError {
  return error instanceof ConditionError;
}

function fail(where: string, message: string): never {
  throw new ConditionError(where, message);
}

/** `$.a['b c'][0]` → ["a", "b c", "0"]; undefined for no path ("" is no path for the engine too). */
function parsePath(path: unknown, where: string): string[] | undefined {
  if (path === undefined || path === "") return undefined;
  const checked = typeof path === "string" ? factPath(path) : { error: FACT_PATH_RULE };
  if ("error" in checked) fail(where, `path ${JSON.stringify(path)} ${checked.error}`);
  return checked.keys;
}

/** Reads a fact the way the almanac does, then walks the path the way jsonpath-plus does. */
function compileRead(fact: unknown, path: unknown, where: string): Read {
  if (typeof fact !== "string" || fact === "") fail(where, "fact must be a non-empty string");
  const keys = parsePath(path, where);
  // Run facts live in a Map filled by `for…in`: inherited names such as "toString" are undefined.
  if (!keys) return (facts) => (enumerable.call(facts, fact) ? facts[fact] : undefined);
  const n = keys.length;
  return (facts) => {
    let v: unknown = enumerable.call(facts, fact) ? facts[fact] : undefined;
    // The almanac applies a path only to objects and arrays; any other fact value is returned
    // unchanged, so `$.length` of the string "abc" is "abc", not 3.
    if (!isObject(v)) return v;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      // jsonpath-plus follows `val && Object.hasOwn(val, key)`: nested strings do have own
      // `length` and indices ("abc" → $.s.length is 3, $.s[0] is "a") but "" is falsy, so
      // $.s.length of "" is undefined; inherited keys (constructor, toString) are undefined.
      if (!v || !own.call(v, key)) return undefined;
      v = (v as Record<string, unknown>)[key];
    }
    return v;
  };
}

/** Boolean and fact conditions get `parseInt(priority) || 1`; higher priorities are evaluated first. */
const priorityOf = (c: object): number => Number.parseInt(String((c as { priority?: unknown }).priority), 10) || 1;

function compileNode(c: unknown, where: string): Node {
  if (!isObject(c) || Array.isArray(c)) fail(where, "must be an object");
  if (own.call(c, "condition")) fail(where, "condition references are not supported");
  const kind = junction(c);
  const priority = priorityOf(c);
  if (kind) {
    if ((["any", "all", "not", "fact"] as const).some((k) => k !== kind && own.call(c, k))) fail(where, `must have only one of all, any, not, fact`);
    const sub = c[kind];
    if (kind === "not") {
      if (Array.isArray(sub)) fail(where, '"not" takes one condition, not an array');
      const inner = compileNode(sub, `${where}.not`).fn;
      return { priority, fn: (facts) => !inner(facts) };
    }
    if (!Array.isArray(sub)) fail(where, `"${kind}" must be an array`);
    return { priority, fn: junctionOf(kind, sub.map((s, i) => compileNode(s, `${where}.${kind}[${i}]`))) };
  }
  const op = c.operator as Operator;
  if (!OPERATORS.includes(op)) fail(where, `unknown operator ${JSON.stringify(c.operator)}; use one of ${OPERATORS.join(", ")}`);
  if (!own.call(c, "value")) fail(where, "value is required");
  const cmp = OPS[op];
  const lhs = compileRead(c.fact, c.path, where);
  const value = c.value;
  if (isRef(value)) {
    const rhs = compileRead(value.fact, value.path, `${where}.value`);
    return { priority, fn: (facts) => cmp(lhs(facts), rhs(facts)) };
  }
  if ((op === "in" || op === "notIn") && !Array.isArray(value) && typeof value !== "string") {
    fail(where, `"${op}" needs an array or string value (the engine would throw on ${JSON.stringify(value)})`);
  }
  // The engine compares against a deep clone of the rule, so an object or array value is never
  // identical (===) to a fact's value: clone it too (this also freezes it against later edits).
  const constant: unknown = structuredClone(value);
  return { priority, fn: (facts) => cmp(lhs(facts), constant) };
}

/**
 * The engine's `all`/`any`: `[]` is true for both (so `any: []` holds); one condition is evaluated
 * alone; otherwise conditions are grouped by priority, groups run highest first and stop once the
 * result is known, but every condition of a group is evaluated (Promise.all), so a condition that
 * throws makes the run fail even beside a false one. Matching that keeps errors identical.
 */
function junctionOf(kind: "all" | "any", nodes: Node[]): CompiledCondition {
  if (nodes.length === 0) return () => true;
  if (nodes.length === 1) return nodes[0]!.fn;
  const levels = [...new Set(nodes.map((n) => n.priority))].sort((a, b) => b - a);
  const groups = levels.map((p) => nodes.filter((n) => n.priority === p).map((n) => n.fn));
  const every = kind === "all";
  const group = (fns: CompiledCondition[]): CompiledCondition => (facts) => {
    let result = every;
    for (let i = 0; i < fns.length; i++) if (fns[i]!(facts) !== every) result = !every;
    return result;
  };
  const compiled = groups.map(group);
  if (compiled.length === 1) return compiled[0]!;
  return (facts) => {
    for (let i = 0; i < compiled.length; i++) if (compiled[i]!(facts) !== every) return !every;
    return every;
  };
}

/**
 * Compiles a condition in json-rules-engine's format into a synchronous predicate over facts that
 * returns exactly what the engine would (the rule's event fires). A bare fact condition is accepted
 * too and means `{ all: [condition] }`. Throws an Error, naming the place, for conditions the engine
 * rejects or whose engine behaviour is not matched: unknown operators, `condition` references,
 * `in`/`notIn` with a value that is neither an array nor a string, paths jsonpath-plus reads as
 * more than plain keys, and objects that mix `all`/`any`/`not`/`fact`.
 *
 * @example
 * const due = compileCondition({ all: [
 *   { fact: "arrearsMonths", operator: "greaterThanInclusive", value: 3 },
 *   { fact: "tags", operator: "doesNotContain", value: "elderly" },
 * ] });
 * due({ arrearsMonths: 4, tags: ["vip"] }); // true
 * due({ arrearsMonths: "4", tags: "elderly" }); // false: tags is not an array
 */
export function compileCondition(condition: TopLevelCondition | Condition): CompiledCondition {
  const root = compileNode(condition, "$");
  return root.fn;
}

function renderOperand(fact: string, path: string | undefined): string {
  return path ? fact + path.slice(1) : fact;
}

function render(c: Condition, nested: boolean): string {
  const wrap = (s: string) => (nested ? `(${s})` : s);
  if ("not" in c) return `not (${render(c.not, false)})`;
  if ("all" in c || "any" in c) {
    const parts = "all" in c ? c.all : c.any;
    if (parts.length === 0) return "true";
    if (parts.length === 1) return render(parts[0]!, nested);
    return wrap(parts.map((p) => render(p, true)).join("all" in c ? " and " : " or "));
  }
  const value = isRef(c.value) ? renderOperand(c.value.fact, c.value.path) : JSON.stringify(c.value);
  return `${renderOperand(c.fact, c.path)} ${SYMBOLS[c.operator] ?? c.operator} ${value}`;
}

/**
 * A short human rendering of a condition for an audit trail: operators as symbols or words,
 * constants as JSON, other facts by name, nested groups in parentheses. `all: []` and `any: []`
 * render as `true`, which is what the engine makes of both.
 *
 * @example
 * describeCondition({ all: [
 *   { fact: "arrearsMonths", operator: "greaterThanInclusive", value: 3 },
 *   { fact: "tags", operator: "contains", value: "elderly" },
 * ] }); // 'arrearsMonths >= 3 and tags contains "elderly"'
 */
export function describeCondition(condition: TopLevelCondition | Condition): string {
  return render(condition, false);
}

/**
 * The fact conditions (leaves) of a condition, each with its place below the top (`.all[0]`), in
 * document order. Tolerant of malformed input, like `conditionFacts`.
 */
export function conditionLeaves(condition: TopLevelCondition | Condition): Array<{ where: string; leaf: FactCondition }> {
  const out: Array<{ where: string; leaf: FactCondition }> = [];
  const stack: Array<{ c: unknown; where: string }> = [{ c: condition, where: "" }];
  while (stack.length > 0) {
    const { c, where } = stack.pop()!;
    if (!isObject(c)) continue;
    const kind = junction(c);
    if (kind === "not") stack.push({ c: c.not, where: `${where}.not` });
    else if (kind) {
      const subs = c[kind];
      if (Array.isArray(subs)) for (let i = subs.length - 1; i >= 0; i--) stack.push({ c: subs[i], where: `${where}.${kind}[${i}]` });
    } else out.push({ where, leaf: c as FactCondition });
  }
  return out;
}

/**
 * The sorted, unique names of the facts a condition reads, including facts named by
 * `value: { fact }`. Tolerant of malformed input (it collects what it can), so it can run before
 * `compileCondition` to report unknown facts.
 *
 * @example
 * conditionFacts({ any: [
 *   { fact: "overdueMinor", operator: "greaterThan", value: { fact: "chargeAmountMinor" } },
 *   { not: { fact: "tags", operator: "contains", value: "elderly" } },
 * ] }); // ["chargeAmountMinor", "overdueMinor", "tags"]
 */
export function conditionFacts(condition: TopLevelCondition | Condition): string[] {
  const names = new Set<string>();
  const visit = (c: unknown): void => {
    if (Array.isArray(c)) return c.forEach(visit);
    if (!isObject(c)) return;
    const kind = junction(c);
    if (kind) return visit(c[kind]);
    if (typeof c.fact === "string") names.add(c.fact);
    if (isRef(c.value) && typeof c.value.fact === "string") names.add(c.value.fact);
  };
  visit(condition);
  return [...names].sort();
}
