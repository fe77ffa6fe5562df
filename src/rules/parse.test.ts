import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinPolicySource } from "./builtins.js";
import { PolicyError, isPolicyError } from "./errors.js";
import { policyJsonSchema } from "./json-schema.js";
import { parsePolicy, safeParsePolicy } from "./parse.js";
import { minimal } from "./__fixtures__/minimal.js";

function issuesOf(input: unknown) {
  const r = safeParsePolicy(input);
  if (r.ok) throw new Error("expected the policy to be rejected");
  return r.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
}

describe("parsePolicy", () => {
  it("accepts the built-ins and a minimal complete policy", () => {
    expect(parsePolicy(builtinPolicySource("residential")).stages.map((s) => s.id)).toEqual([
      "billing_notice",
      "dunning_notice",
      "final_notice",
      "arrears_3m_billing_notice",
      "arrears_4m_dunning_notice",
      "arrears_6m_final_notice",
      "arrears_12m_lawyer_letter",
      "limitation_legal_review",
    ]);
    expect(parsePolicy(builtinPolicySource("commercial")).stages.map((s) => s.id)).toEqual([
      "billing_notice",
      "dunning_notice",
      "second_dunning_notice",
      "final_notice",
      "limitation_legal_review",
    ]);
    expect(parsePolicy(JSON.stringify(minimal)).id).toBe("estate");
  });

  it("names the place and the rule of a bad value", () => {
    const bad = structuredClone(minimal) as any;
    bad.stages.push({ id: "d", kind: "dunningNotice", channels: ["sms"], trigger: { type: "billingMonthDay", monthOffset: 0, day: 32 } });
    expect(issuesOf(bad)).toEqual(["stages[1].trigger.day: must be 1–31 (got 32)"]);
  });

  it("lists every problem, not only the first", () => {
    const bad = { ...minimal, timeZone: "Mars/Olympus", currency: { code: "cny", minorDigits: 9 }, surprise: true };
    expect(issuesOf(bad)).toEqual([
      'timeZone: must be an IANA time zone such as Asia/Shanghai (got "Mars/Olympus")',
      'currency.code: must be an ISO 4217 code such as CNY (got "cny")',
      "currency.minorDigits: must be 0–4 (got 9)",
      'unknown field "surprise"',
    ]);
  });

  it("points into json-rules-engine conditions", () => {
    const bad = structuredClone(minimal) as any;
    bad.stages[0].conditions = { all: [{ any: [{ fact: "tags", operator: "includes", value: "elderly" }] }] };
    expect(issuesOf(bad)).toEqual([
      expect.stringMatching(/^stages\[0\]\.conditions\.all\[0\]\.any\[0\]\.operator: must be one of "equal", .* \(got "includes"\)$/),
    ]);
  });

  it("rejects facts no rule can read, so a typo cannot silently disable a stage", () => {
    const bad = structuredClone(minimal) as any;
    bad.stages[0].conditions = { all: [{ fact: "arrearMonths", operator: "greaterThan", value: 3 }] };
    expect(issuesOf(bad)).toEqual([expect.stringMatching(/^stages\[0\]\.conditions: unknown fact "arrearMonths"/)]);
  });

  it("rejects cutting utilities or blocking access, citing Civil Code art. 944", () => {
    for (const [field, value] of [["kind", "cutWater"], ["kind", "suspendElectricity"], ["id", "stop_heating"], ["title", "停水通知"], ["title", "禁止停车"]] as const) {
      const bad = structuredClone(minimal) as any;
      bad.stages[0][field] = value;
      expect(issuesOf(bad)).toEqual([expect.stringMatching(new RegExp(`^stages\\[0\\]\\.${field}: cutting or rationing water, electricity, heating or gas.*Civil Code art\\. 944`))]);
    }
    const channel = structuredClone(minimal) as any;
    channel.stages[0].channels = ["sms", "blockLift"];
    expect(issuesOf(channel)[0]).toMatch(/^stages\[0\]\.channels\[1\]: .*art\. 944/);
    // nothing in a fair policy trips the check
    expect(safeParsePolicy(builtinPolicySource("residential")).ok).toBe(true);
  });

  it("checks references, ids, deadlines and the billing rule", () => {
    const bad = structuredClone(minimal) as any;
    bad.billingCycle.rrule = "FREQ=MONTHLY;TZID=Asia/Shanghai";
    bad.stages.push(
      { id: "bill", kind: "reminder", channels: ["sms"], trigger: { type: "dueDate", offsetDays: -7 } },
      { id: "follow", kind: "phoneCall", channels: ["phone"], trigger: { type: "afterStage", stage: "later", days: 5 }, deadlineDays: 10 },
    );
    expect(issuesOf(bad)).toEqual([
      'stages[1].id: duplicate stage id "bill" (also stages[0])',
      'stages[2].trigger.stage: must name a stage listed earlier (got "later")',
      "stages[2].deadlineDays: only a finalNotice or formalLetter states a deadline (this stage is a phoneCall)",
      "billingCycle.rrule: must not contain DTSTART, TZID, UNTIL or COUNT: charges come from the ledger, the rule states only the cycle",
    ]);
    expect(issuesOf({ ...minimal, billingCycle: { rrule: "FREQ=MONTHLY;BYMONTHDAX=1" } })).toEqual([
      `billingCycle.rrule: not a valid RRULE: Unknown RRULE property 'BYMONTHDAX' (got "FREQ=MONTHLY;BYMONTHDAX=1")`,
    ]);
  });

  it("throws a PolicyError carrying the issues", () => {
    try {
      parsePolicy({ ...minimal, version: "" }, "estate.json");
      expect.unreachable();
    } catch (error) {
      expect(isPolicyError(error)).toBe(true);
      expect((error as PolicyError).issues.map((i) => i.path)).toEqual(["version"]);
      expect((error as Error).message).toMatch(/^estate\.json: invalid policy\n {2}version: /);
    }
  });

  it("reports text that is not JSON", () => {
    expect(issuesOf("{ nope")[0]).toMatch(/^not JSON: /);
  });
});

describe("extends", () => {
  it("overrides a stage field by field, keeps the rest, and adds stages where asked", () => {
    const policy = parsePolicy({
      extends: "residential",
      id: "green-garden",
      version: "2026.2",
      stages: [
        { id: "final_notice", deadlineDays: 10 },
        { id: "pre_due_reminder", kind: "reminder", channels: ["wechat"], trigger: { type: "dueDate", offsetDays: -7 }, insertAfter: "billing_notice" },
        { id: "arrears_12m_lawyer_letter", disabled: true },
      ],
    });
    expect(policy.id).toBe("green-garden");
    expect(policy.timeZone).toBe("Asia/Shanghai");
    expect(policy.stages.map((s) => s.id)).toEqual([
      "billing_notice",
      "pre_due_reminder",
      "dunning_notice",
      "final_notice",
      "arrears_3m_billing_notice",
      "arrears_4m_dunning_notice",
      "arrears_6m_final_notice",
      "limitation_legal_review",
    ]);
    const final = policy.stages.find((s) => s.id === "final_notice")!;
    expect(final).toMatchObject({ deadlineDays: 10, kind: "finalNotice", channels: ["doorPosting", "sms"], trigger: { type: "billingMonthDay", monthOffset: 1, day: 25 } });
  });

  it("says what is wrong with a patch", () => {
    expect(issuesOf({ extends: "villa", id: "x", version: "1" })).toEqual(['extends: must name a built-in policy: residential, commercial, relative (got "villa")']);
    expect(issuesOf({ extends: "residential", id: "x", version: "1", stages: [{ id: "nothing", disabled: true }] })).toEqual([
      'stages[0].id: residential has no stage "nothing" to disable',
    ]);
    expect(issuesOf({ extends: "residential", id: "x", version: "1", stages: [{ id: "new_one", kind: "reminder" }] })).toEqual([
      "stages[0].channels: is required (array)",
      "stages[0].trigger: is required (object)",
    ]);
  });
});

describe("schema/policy.schema.json", () => {
  it("is what the zod schema generates (run `npm run schema` after changing the schema)", () => {
    const onDisk = JSON.parse(readFileSync(new URL("../../schema/policy.schema.json", import.meta.url), "utf8"));
    expect(onDisk).toEqual(policyJsonSchema());
  });

  it("docs/policy-reference.md is what the schema's descriptions generate (run `npm run schema`)", async () => {
    const { policyReference } = await import("./reference.js");
    const onDisk = readFileSync(new URL("../../docs/policy-reference.md", import.meta.url), "utf8");
    expect(onDisk).toBe(policyReference());
    expect(onDisk).toContain("| `deadlineDays` | integer 1–365 |");
  });

  it("describes every property, so editors can explain each field", () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === "object")
        for (const [key, child] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (typeof child.description !== "string" && !("$ref" in child)) missing.push(`${path}.${key}`);
          walk(child, `${path}.${key}`);
        }
      for (const [key, child] of Object.entries(n)) if (key !== "properties") walk(child, `${path}/${key}`);
    };
    walk(policyJsonSchema(), "$");
    expect(missing).toEqual([]);
  });
});

/**
 * DOMAIN.md (decided 2026-12-06): "Payment order: the statutory default (Civil Code art. 561) is
 * costs, then interest (penalties), then principal. A built-in that uses principal first favours
 * the owner and must say in the file that it is a contract term."
 */
const paymentIssues = (input: unknown) => {
  const r = safeParsePolicy(input);
  return r.ok ? [] : r.issues.map((i) => ({ code: i.code, path: i.path }));
};

describe("audit F5: a payment order other than the statutory one states its contract basis", () => {
  it("audit F5 the built-in files use principal first and say in the file that it is a contract term", () => {
    for (const id of ["residential", "commercial"] as const) {
      const file = JSON.parse(readFileSync(new URL(`../../policies/${id}.json`, import.meta.url), "utf8"));
      expect(file.paymentOrder).toBe("principalFirst");
      expect(file.paymentOrderContractTerm).toMatch(/^CONTRACT TERM/);
      expect(file.paymentOrderContractTerm).toMatch(/art\. 561/);
      expect(parsePolicy(builtinPolicySource(id)).paymentOrderContractTerm).toBe(file.paymentOrderContractTerm);
    }
  });

  it("audit F5 principal first without a stated contract term is an issue on paymentOrder", () => {
    expect(paymentIssues({ ...minimal, paymentOrder: "principalFirst" })).toEqual([{ code: "payment_order_basis", path: "paymentOrder" }]);
    expect(paymentIssues({ ...minimal, paymentOrder: "principalFirst", paymentOrderContractTerm: "Contract art. 9: payments pay the fee first." })).toEqual([]);
  });

  it("audit F5 the statutory order needs no basis, stated or left to the default", () => {
    expect(paymentIssues(minimal)).toEqual([]);
    expect(paymentIssues({ ...minimal, paymentOrder: "costsLateFeePrincipal" })).toEqual([]);
  });

  it("audit F5 a policy extending a built-in inherits its order and the term behind it", () => {
    expect(paymentIssues({ extends: "residential", id: "estate", version: "1" })).toEqual([]);
    expect(paymentIssues({ extends: "commercial", id: "estate", version: "1", paymentOrder: "principalFirst" })).toEqual([]);
    expect(paymentIssues({ extends: "residential", id: "estate", version: "1", paymentOrder: "costsLateFeePrincipal" })).toEqual([]);
  });
});
