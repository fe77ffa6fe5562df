import { describe, expect, it } from "vitest";
import { builtinPolicySource } from "./builtins.js";
import { namesForbiddenMeasure } from "./forbidden.js";
import { safeParsePolicy } from "./parse.js";
import { minimal } from "./__fixtures__/minimal.js";

/** Measures Civil Code art. 944 and local rules forbid, in the words the issue found slipping through. */
const FORBIDDEN_TEXTS = [
  "拉闸",
  "停供暖",
  "暂停供热",
  "关闭门禁",
  "锁电梯",
  "停车场禁入",
  "限制出入",
  "停電",
  "斷水",
  "停水通知",
  "禁止停车",
  "停\u200d电", // zero-width joiner
  "ＳＴＯＰ　ＷＡＴＥＲ", // full width
  "停　電",
  "water_cutoff",
  "power_off",
  "lift_lockout",
  "disable_access_card",
  "utility disconnection",
  "cutWater",
  "suspendElectricity",
  "stop_heating",
  "blockLift",
  "Shut off the gas",
  "POWER-OFF",
  "lock the gate",
  "deny entry",
  "restrict owner access",
  "deny access to the building",
  "断电催费",
];

/** Legitimate text from the built-ins and common notices: none of it names a forbidden measure. */
const LEGITIMATE_TEXTS = [
  "电梯",
  "电梯维保通知",
  "停车",
  "停车费",
  "停车场",
  "access",
  "Access to the estate's app",
  "power",
  "empower owners to pay online",
  "power of attorney",
  "水电费代收",
  "暖气费",
  "燃气安全提示",
  "门禁卡办理",
  "电话催缴",
  "物业办公室关门时间",
  "关于缴纳物业费的通知",
  "限期缴费通知书",
  "收费通知书",
  "催费通知书",
  "律师函（欠费一年以上）",
  "断其后路: follow up on exactly the agreed date",
  "Posted on the unit's entry door",
  "data entry",
  "water leak in the lobby",
  // Found in review: 断/停 next to a word that goes on (电话, 水费), "access" as data protection.
  "不断电话催收",
  "通话中断电话回拨",
  "暂停水费滞纳金计收",
  "restrict access to the file to the legal team",
  "limit access to personal data",
  "gas station",
  "lift inspection",
  "home visit",
  "a final notice with a deadline",
];

describe("forbidden measures (Civil Code art. 944)", () => {
  it("#14.15 a forbidden measure is refused under any wording, script, width or case, in any stage text", () => {
    for (const text of FORBIDDEN_TEXTS) expect(namesForbiddenMeasure(text), text).toBe(true);
    for (const field of ["title", "description", "source"] as const)
      for (const text of FORBIDDEN_TEXTS) {
        const policy = structuredClone(minimal) as { stages: Array<Record<string, unknown>> };
        policy.stages[0]![field] = text;
        const r = safeParsePolicy(policy);
        expect(r.ok ? [] : r.issues, `${field}: ${text}`).toEqual([expect.objectContaining({ code: "forbidden_measure", path: `stages[0].${field}` })]);
      }
    for (const id of ["water_cutoff", "power_off", "lift_lockout", "disable_access_card", "stop_heating"]) {
      const r = safeParsePolicy({ ...minimal, stages: [{ ...minimal.stages[0], id }] });
      expect(r.ok ? [] : r.issues.map((i) => `${i.code} ${i.path}`), id).toEqual(["forbidden_measure stages[0].id"]);
    }
    const named = structuredClone(minimal) as { stages: Array<Record<string, unknown>> };
    named.stages[0]!.conditions = { all: [{ name: "拉闸 when 3 months late", fact: "arrearsMonths", operator: "greaterThan", value: 3 }] };
    const r = safeParsePolicy(named);
    expect(r.ok ? [] : r.issues).toEqual([expect.objectContaining({ code: "forbidden_measure", path: "stages[0].conditions.all[0].name" })]);
  });

  it("#14.15 legitimate text passes: the built-ins and common notices", () => {
    for (const text of LEGITIMATE_TEXTS) expect(namesForbiddenMeasure(text), text).toBe(false);
    for (const id of ["residential", "commercial"] as const) expect(safeParsePolicy(builtinPolicySource(id)).ok).toBe(true);
  });
});
