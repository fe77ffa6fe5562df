/**
 * Issue 14, "Policies: what validates must plan": each defect as a named regression test. A
 * policy `safeParsePolicy` accepts must plan; one it refuses is refused with a code and the
 * file's own path.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { checkPolicy } from "../testing/invariants.js";
import { builtinPolicySource } from "./builtins.js";
import { compileCondition } from "./conditions.js";
import type { Issue } from "./errors.js";
import { parsePolicy, safeParsePolicy } from "./parse.js";
import { FactReferenceSchema } from "./schema.js";
import { minimal } from "./__fixtures__/minimal.js";

/** The minimal policy with one dunning stage whose conditions are `conditions`. */
const withConditions = (conditions: unknown) => ({
  ...minimal,
  stages: [...minimal.stages, { id: "dun", kind: "dunningNotice", channels: ["sms"], trigger: { type: "dueDate", offsetDays: 5 }, conditions }],
});

function issues(input: unknown): Issue[] {
  const r = safeParsePolicy(input);
  if (r.ok) throw new Error("expected the policy to be rejected");
  return r.issues;
}

/** Plans two months of one unpaid charge: what a valid policy must survive. */
function plans(input: unknown): void {
  const policy = parsePolicy(input);
  createScheduler(policy).forecast({ id: "A-1", charges: [{ id: "c1", period: "2026-01", amountMinor: 10_000, dueOn: "2026-01-01" }] }, "2026-01-01", "2026-03-01");
}

const nestedAll = (depth: number): unknown => {
  let c: unknown = { fact: "arrearsMonths", operator: "greaterThan", value: 0 };
  for (let i = 0; i < depth; i++) c = { all: [c] };
  return c;
};

describe("issue 14: policies, what validates must plan", () => {
  it("#14.11 a fact reference's path is checked once, the same way by the schema and the compiler", () => {
    const star = withConditions({ all: [{ fact: "overdueMinor", operator: "greaterThan", value: { fact: "chargeAmountMinor", path: "$..*" } }] });
    expect(issues(star)).toEqual([expect.objectContaining({ path: "stages[1].conditions.all[0].value.path" })]);
    const dotted = withConditions({ all: [{ fact: "tags", operator: "equal", path: "$['a.b']", value: 1 }] });
    expect(issues(dotted)).toEqual([expect.objectContaining({ path: "stages[1].conditions.all[0].path" })]);
    // A plain reference still validates and plans.
    plans(withConditions({ all: [{ fact: "overdueMinor", operator: "greaterThan", value: { fact: "chargeAmountMinor" } }] }));
    // Whatever the path, the schema accepts it exactly when the compiler does.
    const piece = fc.constantFrom("$", ".a", ".$", ".a1", "[0]", "['a']", "['a.b']", "['$']", "['*']", "..", "*", "[*]", "['']", ".length", "['a b']", "[", "'", "@");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 5 }), (parts) => {
        const path = parts.join("");
        const schema = FactReferenceSchema.safeParse({ fact: "tags", path }).success;
        let compiler = true;
        try {
          compileCondition({ all: [{ fact: "tags", operator: "equal", value: { fact: "tags", path } }] });
        } catch {
          compiler = false;
        }
        // "" is no path for the engine; the schema asks for a path when the field is given.
        return path === "" || schema === compiler;
      }),
      { seed: 14_11, numRuns: 2000 },
    );
  });

  it("#14.11 (found by the fuzz suite) a condition the compiler or the engine refuses is an issue at its place", () => {
    // `in` needs a list or a string: a number validated, then stopped planning.
    expect(issues(withConditions({ any: [{ fact: "chargeMonthOfYear", operator: "in", value: 25892 }] }))).toEqual([
      expect.objectContaining({ code: "invalid_condition", path: "stages[1].conditions.any[0]" }),
    ]);
    // `in` against another fact calls that fact's indexOf: only a fact that is always a list can stand there.
    expect(issues(withConditions({ any: [{ fact: "arrearsMonths", operator: "notIn", value: { fact: "chargeUnpaidMinor" } }] }))).toEqual([
      expect.objectContaining({ code: "invalid_condition", path: "stages[1].conditions.any[0].value" }),
    ]);
    plans(withConditions({ any: [{ fact: "segment", operator: "in", value: { fact: "tags" } }] }));
  });

  it("#14.12 conditions nested too deep are an issue, not a stack overflow", () => {
    const deep = issues(withConditions(nestedAll(1000)));
    expect(deep).toEqual([expect.objectContaining({ code: "too_deep" })]);
    expect(deep[0]!.path).toMatch(/^stages\[1\]\.conditions(\.all\[0\])+$/);
    // The documented limit (docs/policy-reference.md): 32 levels of all/any/not.
    plans(withConditions(nestedAll(32)));
    expect(issues(withConditions(nestedAll(33)))[0]!.code).toBe("too_deep");
    // A deeply nested constant is refused the same way.
    let value: unknown = 1;
    for (let i = 0; i < 5000; i++) value = [value];
    expect(issues(withConditions({ all: [{ fact: "tags", operator: "equal", value }] }))[0]!.code).toBe("too_deep");
  });

  it("#14.13 only the scheduler's own facts pass, never inherited names", () => {
    for (const fact of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
      const text = JSON.stringify(withConditions({ all: [{ fact: "tags", operator: "equal", value: { fact: "x" } }] })).replace('"fact":"x"', `"fact":${JSON.stringify(fact)}`);
      expect(issues(text), fact).toEqual([expect.objectContaining({ code: "unknown_fact", path: "stages[1].conditions" })]);
      expect(issues(withConditions({ all: [{ fact, operator: "equal", value: 1 }] })), fact).toEqual([expect.objectContaining({ code: "unknown_fact" })]);
    }
    // A policy built in code skips the schema: the scheduler refuses the inherited name too.
    const policy = parsePolicy(withConditions({ all: [{ fact: "tags", operator: "equal", value: 1 }] }));
    const stages = policy.stages.map((s) => (s.conditions ? { ...s, conditions: { all: [{ fact: "constructor", operator: "equal" as const, value: 1 }] } } : s));
    expect(() => createScheduler({ ...policy, stages })).toThrow(/unknown fact "constructor"/);
  });

  it("#14.14 extending files: duplicate ids, the file's own paths, a built-in's id, real closure dates", () => {
    const twice = { extends: "residential", id: "estate", version: "1", stages: [
      { id: "call", kind: "phoneCall", channels: ["phone"], trigger: { type: "dueDate", offsetDays: 10 } },
      { id: "call", kind: "homeVisit", channels: ["homeVisit"], trigger: { type: "dueDate", offsetDays: 20 } },
    ] };
    expect(issues(twice)).toEqual([expect.objectContaining({ code: "duplicate_stage", path: "stages[1].id" })]);
    // The file's only stage is stages[0], whatever its place in the merged timeline.
    const added = { extends: "residential", id: "estate", version: "1", stages: [{ id: "new_one", kind: "reminder" }] };
    expect(issues(added).map((i) => i.path)).toEqual(["stages[0].channels", "stages[0].trigger"]);
    const deadline = { extends: "residential", id: "estate", version: "1", stages: [{ id: "dunning_notice", deadlineDays: 9 }] };
    expect(issues(deadline)).toEqual([expect.objectContaining({ code: "deadline_kind", path: "stages[0].deadlineDays" })]);
    // An extending policy names its own text: it may not take a built-in's id.
    expect(issues({ extends: "residential", id: "residential", version: "2026.1", stages: [{ id: "final_notice", deadlineDays: 3 }] })).toEqual([
      expect.objectContaining({ code: "builtin_id", path: "id" }),
    ]);
    // Nor may a copy that changes the text keep the built-in's id and version.
    const copy = builtinPolicySource("residential") as { stages: Array<{ deadlineDays?: number }> };
    copy.stages[2]!.deadlineDays = 3;
    expect(issues(copy)).toEqual([expect.objectContaining({ code: "builtin_id", path: "version" })]);
    expect(safeParsePolicy(builtinPolicySource("residential")).ok).toBe(true);
    // Closures are real dates.
    expect(issues({ ...minimal, calendar: { holidays: "CN", closures: ["2026-02-28", "2026-02-30"] } })).toEqual([
      expect.objectContaining({ path: "calendar.closures[1]" }),
    ]);
    expect(issues({ ...minimal, calendar: { holidays: "none", extraWorkingDays: ["2026-13-01"] } })[0]!.path).toBe("calendar.extraWorkingDays[0]");
    // A day both closed and worked: the calendar cannot be built, so no account could be planned.
    expect(issues({ ...minimal, calendar: { holidays: "CN", closures: ["2026-05-06", "2026-10-10"], extraWorkingDays: ["2026-05-09", "2026-10-10"] } })).toEqual([
      expect.objectContaining({ code: "calendar_conflict", path: "calendar.extraWorkingDays[1]" }),
    ]);
  });

  it("#14.16 what verify's privacy invariant forbids, validate reports with the stage's path", () => {
    const letter = { ...minimal, stages: [...minimal.stages, { id: "letter", kind: "lawyerLetter", channels: ["expressMail", "doorPosting"], trigger: { type: "dueDate", offsetDays: 60 } }] };
    expect(issues(letter)).toEqual([expect.objectContaining({ code: "public_legal_step", path: "stages[1].channels[1]" })]);
    const patched = { extends: "residential", id: "estate", version: "1", stages: [{ id: "arrears_12m_lawyer_letter", channels: ["doorPosting"] }] };
    expect(issues(patched)).toEqual([expect.objectContaining({ code: "public_legal_step", path: "stages[0].channels[0]" })]);
    // The built-ins post notices on doors (S2): still valid, and verify's privacy passes on them.
    for (const id of ["residential", "commercial"] as const) {
      const policy = parsePolicy(builtinPolicySource(id));
      expect(checkPolicy(policy, { runs: 20, seed: 16, only: ["privacy"] }).ok).toBe(true);
    }
  });

  it("a stage addressed to staff goes on the staff queue only: a door posting would publish a debtor (PIPL art. 25)", () => {
    const codes = (stages: unknown[]) => issues({ extends: "residential", id: "estate", version: "1", stages }).map((i) => `${i.path} ${i.code}`);
    const after = { type: "afterStage", stage: "arrears_12m_lawyer_letter", days: 30 };
    expect(codes([{ id: "agency", kind: "collectionAgency", channels: ["doorPosting"], trigger: after }])).toEqual(["stages[0].channels[0] staff_channel"]);
    expect(codes([{ id: "gone", kind: "writeOff", channels: ["staffQueue", "sms"], trigger: after }])).toEqual(["stages[0].channels[1] staff_channel"]);
    expect(codes([{ id: "suit", kind: "legalAction", channels: ["expressMail"], trigger: after }])).toEqual(["stages[0].channels[0] staff_channel"]);
    // Not only the terminal kinds: a review or follow-up is a person's task too.
    expect(codes([{ id: "follow", kind: "staffFollowUp", channels: ["phone"], trigger: { type: "dueDate", offsetDays: 20 } }])).toEqual(["stages[0].channels[0] staff_channel"]);
    // An inherited staff stage moved onto an owner's channel is reported at the patch.
    expect(codes([{ id: "limitation_legal_review", channels: ["wechat"] }])).toEqual(["stages[0].channels[0] staff_channel"]);
    expect(safeParsePolicy({ extends: "residential", id: "estate", version: "1", stages: [{ id: "agency", kind: "collectionAgency", channels: ["staffQueue"], trigger: after }] }).ok).toBe(true);
  });

  it("#14.19 a number too large and a document that is not an object are reported as such", () => {
    const text = JSON.stringify(builtinPolicySource("residential")).replace('"deadlineDays":15', '"deadlineDays":1e400');
    const [big] = issues(text);
    expect(big).toMatchObject({ code: "not_finite", path: "stages[2].deadlineDays" });
    expect(big!.message).toContain("1e400");
    expect(big!.message).not.toContain("null");
    const object = builtinPolicySource("residential") as { stages: Array<{ deadlineDays?: number }> };
    object.stages[2]!.deadlineDays = Number.POSITIVE_INFINITY;
    expect(issues(object)[0]).toMatchObject({ code: "not_finite", path: "stages[2].deadlineDays" });
    expect(issues([])).toEqual([{ code: "invalid_type", path: "", message: "must be an object (got an array)" }]);
    expect(issues("[1]")[0]!.message).toBe("must be an object (got an array)");
    expect(issues("null")[0]!.message).toBe("must be an object (got null)");
  });
});
