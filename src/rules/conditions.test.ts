import fc from "fast-check";
import { Engine } from "json-rules-engine";
import { describe, expect, it } from "vitest";
import { compileCondition, conditionFacts, describeCondition, type Facts } from "./conditions.js";
import { OPERATORS, type Condition, type FactCondition, type Operator, type TopLevelCondition } from "./schema.js";

type Outcome = boolean | "throws";

/** What json-rules-engine 7.3.1 says: a fresh engine per call (it is async and stateful). */
async function engineSays(conditions: TopLevelCondition, facts: Facts, copy = true): Promise<Outcome> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  // The engine rewrites a fact condition's `priority` in place (parseInt); give it its own copy.
  engine.addRule({ conditions: (copy ? structuredClone(conditions) : conditions) as never, event: { type: "match" } });
  try {
    const { events } = await engine.run(facts);
    return events.some((e) => e.type === "match");
  } catch {
    return "throws";
  }
}

function compiledSays(conditions: TopLevelCondition | Condition, facts: Facts): Outcome {
  const fn = compileCondition(conditions);
  try {
    return fn(facts);
  } catch {
    return "throws";
  }
}

const c = (fact: string, operator: Operator, value: unknown, path?: string): FactCondition =>
  ({ fact, operator, value, ...(path === undefined ? {} : { path }) }) as FactCondition;

/** [label, condition, facts, expected]: checked against both the compiled closure and the engine. */
const CASES: [string, TopLevelCondition, Facts, Outcome][] = [
  // equal / notEqual: strict, no coercion
  ["equal number", { all: [c("n", "equal", 3)] }, { n: 3 }, true],
  ["equal string vs number", { all: [c("n", "equal", 3)] }, { n: "3" }, false],
  ["equal null vs missing", { all: [c("n", "equal", null)] }, {}, false],
  ["equal null", { all: [c("n", "equal", null)] }, { n: null }, true],
  ["notEqual missing fact", { all: [c("n", "notEqual", 3)] }, {}, true],
  ["equal array constant is never identical", { all: [c("n", "equal", [1])] }, { n: [1] }, false],
  ["equal fact with fact (same object)", { all: [c("a", "equal", { fact: "b" })] }, { a: [1], b: [1] }, false],
  // numeric: Number.parseFloat(fact) must not be NaN, then plain JS comparison
  ["lessThan numeric string", { all: [c("n", "lessThan", 3)] }, { n: "2" }, true],
  ["lessThan non-numeric string", { all: [c("n", "lessThan", 3)] }, { n: "abc" }, false],
  ["greaterThanInclusive non-numeric string", { all: [c("n", "greaterThanInclusive", 3)] }, { n: "abc" }, false],
  ["lessThan undefined", { all: [c("n", "lessThan", 3)] }, {}, false],
  ["lessThan null (JS says null < 3)", { all: [c("n", "lessThan", 3)] }, { n: null }, false],
  ["lessThan boolean", { all: [c("n", "lessThan", 3)] }, { n: true }, false],
  ["lessThan one-element array", { all: [c("n", "lessThan", 3)] }, { n: [2] }, true],
  ["lessThan compares strings as strings", { all: [c("n", "lessThan", "9")] }, { n: "10" }, true],
  ["'3 apples' passes the check, fails >=", { all: [c("n", "greaterThanInclusive", 3)] }, { n: "3 apples" }, false],
  ["padded numeric string", { all: [c("n", "greaterThanInclusive", 3)] }, { n: " 3" }, true],
  ["greaterThan string value", { all: [c("n", "greaterThan", "9")] }, { n: 10 }, true],
  ["lessThanInclusive equal", { all: [c("n", "lessThanInclusive", 3)] }, { n: 3 }, true],
  ["greaterThan NaN", { all: [c("n", "greaterThan", -1)] }, { n: Number.NaN }, false],
  // in / notIn: value.indexOf(fact)
  ["in array", { all: [c("s", "in", ["a", "b"])] }, { s: "b" }, true],
  ["in strict", { all: [c("s", "in", ["1"])] }, { s: 1 }, false],
  ["in undefined", { all: [c("s", "in", [null])] }, {}, false],
  ["notIn undefined", { all: [c("s", "notIn", ["a"])] }, {}, true],
  ["in string is a substring test", { all: [c("s", "in", "abc")] }, { s: "b" }, true],
  ["in string coerces the fact", { all: [c("s", "in", "a1")] }, { s: 1 }, true],
  ["in string: null in 'null'", { all: [c("s", "in", "null")] }, { s: null }, true],
  ["in fact reference", { all: [c("s", "in", { fact: "allowed" })] }, { s: "x", allowed: ["x"] }, true],
  ["in missing fact reference throws", { all: [c("s", "in", { fact: "allowed" })] }, { s: "x" }, "throws"],
  ["notIn number fact reference throws", { all: [c("s", "notIn", { fact: "allowed" })] }, { s: "x", allowed: 3 }, "throws"],
  // contains / doesNotContain: the fact must be an array
  ["contains", { all: [c("tags", "contains", "elderly")] }, { tags: ["vip", "elderly"] }, true],
  ["contains on a string fact", { all: [c("tags", "contains", "eld")] }, { tags: "elderly" }, false],
  ["doesNotContain on a missing fact", { all: [c("tags", "doesNotContain", "elderly")] }, {}, false],
  ["doesNotContain", { all: [c("tags", "doesNotContain", "elderly")] }, { tags: [] }, true],
  ["contains strict", { all: [c("tags", "contains", 1)] }, { tags: ["1"] }, false],
  // all / any / not
  ["all: []", { all: [] }, {}, true],
  ["any: [] is true", { any: [] }, {}, true],
  ["not any: []", { not: { any: [] } }, {}, false],
  ["nested", { any: [{ all: [c("a", "equal", 1), { not: c("b", "equal", 2) }] }, c("c", "equal", 3)] }, { a: 1, b: 3 }, true],
  ["nested false", { any: [{ all: [c("a", "equal", 1), { not: c("b", "equal", 2) }] }, c("c", "equal", 3)] }, { a: 1, b: 2 }, false],
  ["not of any: [] inside all", { all: [c("a", "equal", 1), { not: { any: [] } }] }, { a: 1 }, false],
  // paths
  ["path into object", { all: [c("o", "equal", 2, "$.x.y")] }, { o: { x: { y: 2 } } }, true],
  ["path missing key", { all: [c("o", "equal", null, "$.x.y")] }, { o: { x: null } }, false],
  ["path missing key is undefined", { all: [c("o", "notIn", [null, 0, ""], "$.x.y")] }, { o: {} }, true],
  ["path into array", { all: [c("o", "equal", "b", "$.items[1]")] }, { o: { items: ["a", "b"] } }, true],
  ["path bracket key", { all: [c("o", "equal", 1, "$['a b']")] }, { o: { "a b": 1 } }, true],
  ["path $ is the value", { all: [c("o", "contains", 2, "$")] }, { o: [1, 2] }, true],
  ["path to an array", { all: [c("o", "contains", 2, "$.x")] }, { o: { x: [2] } }, true],
  ["array length", { all: [c("o", "equal", 2, "$.length")] }, { o: [1, 1] }, true],
  ["nested string length", { all: [c("o", "equal", 3, "$.s.length")] }, { o: { s: "abc" } }, true],
  ["nested string index", { all: [c("o", "equal", "b", "$.s[1]")] }, { o: { s: "abc" } }, true],
  ["nested empty string has no length", { all: [c("o", "equal", 0, "$.s.length")] }, { o: { s: "" } }, false],
  ["top-level string ignores the path", { all: [c("o", "equal", "abc", "$.length")] }, { o: "abc" }, true],
  ["top-level number ignores the path", { all: [c("o", "equal", 5, "$.x.y")] }, { o: 5 }, true],
  ["inherited keys are not read", { all: [c("o", "equal", { fact: "missing" }, "$.constructor")] }, { o: {} }, true],
  ["inherited fact names are not read", { all: [c("toString", "equal", { fact: "missing" })] }, {}, true],
  ["own fact named toString", { all: [c("toString", "equal", 1)] }, { toString: 1 }, true],
  // fact references
  ["fact reference", { all: [c("overdue", "greaterThan", { fact: "amount" })] }, { overdue: 10, amount: 5 }, true],
  ["fact reference with path", { all: [c("n", "equal", { fact: "o", path: "$.x[0]" })] }, { n: 4, o: { x: [4] } }, true],
  ["missing fact reference", { all: [c("n", "equal", { fact: "o" })] }, {}, true],
  ["fact reference to a top-level string ignores the path", { all: [c("n", "equal", { fact: "o", path: "$.x" })] }, { n: "s", o: "s" }, true],
  // priorities: groups run highest first and stop once decided, but a group is evaluated whole
  [
    "a throwing condition in a lower-priority group is skipped",
    { all: [{ ...c("a", "equal", 1), priority: 2 }, c("s", "in", { fact: "none" })] },
    { a: 0 },
    false,
  ],
  ["a throwing condition in the same group fails the run", { all: [c("a", "equal", 1), c("s", "in", { fact: "none" })] }, { a: 0 }, "throws"],
  [
    "any: a true higher-priority group decides",
    { any: [c("s", "in", { fact: "none" }), { all: [c("a", "equal", 0)], priority: 3 }] },
    { a: 0 },
    true,
  ],
];

describe("compileCondition", () => {
  it.each(CASES)("%s", async (_label, condition, facts, expected) => {
    expect(compiledSays(condition, facts)).toBe(expected);
    expect(await engineSays(condition, facts)).toBe(expected);
  });

  it("accepts a bare fact condition as { all: [it] }", () => {
    expect(compileCondition(c("n", "greaterThan", 2))({ n: 3 })).toBe(true);
    expect(compileCondition(c("n", "greaterThan", 2))({})).toBe(false);
  });

  it("never finds a fact identical to a constant, as the engine compares with a clone of the rule", async () => {
    const value = [1];
    const condition: TopLevelCondition = { all: [c("a", "equal", value)] };
    expect(compiledSays(condition, { a: value })).toBe(false);
    expect(await engineSays(condition, { a: value }, false)).toBe(false);
  });

  it("is not affected by later edits of the condition", () => {
    const value = ["a"];
    const fn = compileCondition({ all: [c("s", "in", value)] });
    value.push("b");
    expect(fn({ s: "b" })).toBe(false);
  });

  it.each([
    ["unknown operator", { all: [{ fact: "a", operator: "startsWith", value: "x" }] }, /unknown operator "startsWith"/],
    ["in with a number", { all: [c("a", "in", 3)] }, /"in" needs an array or string value/],
    ["notIn with an object", { all: [c("a", "notIn", { x: 1 })] }, /"notIn" needs an array or string value/],
    ["condition reference", { all: [{ condition: "shared" }] }, /condition references are not supported/],
    ["missing value", { all: [{ fact: "a", operator: "equal" }] }, /value is required/],
    ["empty fact", { all: [c("", "equal", 1)] }, /fact must be a non-empty string/],
    ["non-string fact reference", { all: [c("a", "equal", { fact: 5 })] }, /\$\.all\[0\]\.value: fact must be/],
    ["recursive descent", { all: [c("a", "equal", 1, "$..x")] }, /simple JSONPath/],
    ["wildcard", { all: [c("a", "equal", 1, "$.x[*]")] }, /simple JSONPath/],
    ["$ as a key", { all: [c("a", "equal", 1, "$.x.$")] }, /key "\$"/],
    ["dotted bracket key", { all: [c("a", "equal", 1, "$['a.b']")] }, /key "a\.b"/],
    ["#n bracket key", { all: [c("a", "equal", 1, "$['#1']")] }, /key "#1"/],
    ["mixed all and fact", { all: [], fact: "a" }, /only one of/],
    ["all not an array", { all: { fact: "a", operator: "equal", value: 1 } }, /"all" must be an array/],
    ["not an array", { not: [c("a", "equal", 1)] }, /"not" takes one condition/],
    ["deep location", { any: [{ not: { all: [c("a", "bogus" as Operator, 1)] } }] }, /condition \$\.any\[0\]\.not\.all\[0\]: unknown operator/],
  ])("rejects %s", (_label, condition, message) => {
    expect(() => compileCondition(condition as unknown as TopLevelCondition)).toThrow(message);
  });
});

describe("describeCondition", () => {
  it("renders conditions for people", () => {
    expect(describeCondition({ all: [c("arrearsMonths", "greaterThanInclusive", 3), c("tags", "contains", "elderly")] })).toBe(
      'arrearsMonths >= 3 and tags contains "elderly"',
    );
    expect(
      describeCondition({
        any: [
          { all: [c("a", "equal", 1), c("b", "notIn", ["x", "y"])] },
          { not: c("owner", "lessThan", { fact: "limit", path: "$.max" }, "$.debts[0]") },
          { all: [] },
        ],
      }),
    ).toBe('(a == 1 and b not in ["x","y"]) or not (owner.debts[0] < limit.max) or true');
    expect(describeCondition({ not: { any: [c("a", "doesNotContain", null), c("a", "notEqual", "z", "$['k k']")] } })).toBe(
      'not (a does not contain null or a[\'k k\'] != "z")',
    );
    expect(describeCondition({ all: [{ any: [c("a", "greaterThan", 1)] }] })).toBe("a > 1");
  });
});

describe("conditionFacts", () => {
  it("lists the facts read, sorted and unique, including fact references", () => {
    expect(
      conditionFacts({
        any: [
          c("overdueMinor", "greaterThan", { fact: "chargeAmountMinor" }),
          { not: { all: [c("tags", "contains", "elderly"), c("overdueMinor", "lessThan", 5)] } },
        ],
      }),
    ).toEqual(["chargeAmountMinor", "overdueMinor", "tags"]);
    expect(conditionFacts({ all: [] })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: the compiled closure and json-rules-engine agree on random conditions and facts.

const FACT_NAMES = ["a", "b", "c", "toString"] as const;
/** Conditions also read "constructor", which no facts object owns (but Object.prototype has). */
const READ_NAMES = [...FACT_NAMES, "constructor"] as const;
const KEYS = ["x", "y", "a b", "", "0", "1", "length"] as const;
// Small pools, so that facts and values often collide.
const scalar = fc.constantFrom<unknown>(0, 1, 3, "1", "3", "a", "", " 3", true, null);
const constant = fc.oneof(
  { weight: 6, arbitrary: scalar },
  fc.constantFrom<unknown>(-1, 2.5, "abc", "3x", false, [], [1, 3], ["a"], ["a", "abc", 1], [null, "3"], { x: 1 }),
);
const listLike = fc.constantFrom<unknown>([], [1, 3], ["a"], ["a", "", 1], [null, "3", 3], [true, "1"], "abc", "a1", "null", "");
const path = fc
  .array(fc.constantFrom(".x", ".y", "[0]", "[1]", ".length", "['x']", "['a b']", "['']", "['0']"), { maxLength: 3 })
  .map((segments) => `$${segments.join("")}`);
const maybePath = fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, path);
const ref = fc.record({ fact: fc.constantFrom(...READ_NAMES), path: maybePath });

const factValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: fc.oneof({ weight: 8, arbitrary: scalar }, fc.constantFrom(undefined, Number.NaN, "abc", -1)) },
    { weight: 3, arbitrary: fc.array(scalar, { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 3 }) },
    // dictionary sometimes makes null-prototype objects: the engine's checks throw on those like ours
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 3 }) },
  ),
})).value;
// a and b are always there, c and toString only sometimes.
const facts = fc.record(Object.fromEntries(FACT_NAMES.map((name) => [name, factValue])), {
  requiredKeys: ["a", "b"],
  noNullPrototype: true,
}) as fc.Arbitrary<Facts>;

const priority = fc.integer({ min: 1, max: 3 });
const leaf: fc.Arbitrary<Condition> = fc.constantFrom(...OPERATORS).chain((operator) =>
  fc.record(
    {
      fact: fc.constantFrom(...READ_NAMES),
      operator: fc.constant(operator),
      value: fc.oneof({ weight: 4, arbitrary: operator === "in" || operator === "notIn" ? listLike : constant }, ref),
      path: maybePath,
      priority: fc.option(priority, { nil: undefined }),
    },
  ),
) as fc.Arbitrary<Condition>;

function junction(depth: number): fc.Arbitrary<TopLevelCondition> {
  const child = depth <= 1 ? leaf : fc.oneof({ weight: 2, arbitrary: leaf }, junction(depth - 1));
  const list = fc.array(child, { maxLength: 4 });
  return fc.oneof(
    fc.record({ all: list, priority }, { requiredKeys: ["all"] }),
    fc.record({ any: list, priority }, { requiredKeys: ["any"] }),
    fc.record({ not: child, priority }, { requiredKeys: ["not"] }),
  ) as fc.Arbitrary<TopLevelCondition>;
}

describe("compileCondition agrees with json-rules-engine", () => {
  it("on single conditions", async () => {
    await fc.assert(
      fc.asyncProperty(leaf, facts, async (condition, input) => {
        const top: TopLevelCondition = { all: [condition] };
        expect(compiledSays(top, input)).toBe(await engineSays(top, input));
      }),
      { numRuns: 1000 },
    );
  });

  it("on random conditions and facts", async () => {
    await fc.assert(
      fc.asyncProperty(junction(3), facts, async (condition, input) => {
        const ours = compiledSays(condition, input);
        expect(ours).toBe(await engineSays(condition, input));
      }),
      { numRuns: 1000 },
    );
  });

  it("on bracketed keys that compile", async () => {
    const key = fc.oneof(fc.string({ unit: "binary-ascii", maxLength: 4 }), fc.string({ unit: "grapheme", maxLength: 3 }));
    await fc.assert(
      fc.asyncProperty(key, fc.boolean(), async (k, present) => {
        const condition: TopLevelCondition = { all: [c("o", "equal", 1, `$.x['${k}'].y`)] };
        let fn;
        try {
          fn = compileCondition(condition);
        } catch {
          return; // rejected at compile time: fine, never silently different
        }
        const input = { o: { x: present ? { [k]: { y: 1 } } : { [`${k}_`]: { y: 1 } } } };
        expect(fn(input)).toBe(present);
        expect(await engineSays(condition, input)).toBe(present);
      }),
      { numRuns: 300 },
    );
  });
});
