import { describe, expect, it } from "vitest";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { OWNER_KINDS, POSTED_AMOUNT, formatMoney, renderNotice, sanitizeText, type Locale, type NoticeContext } from "./index.js";

const LOCALES: Locale[] = ["zh-CN", "en"];
const charge = { id: "c-2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 };

function forecast(policy: "residential" | "commercial", tags?: string[]): PlannedAction[] {
  const scheduler = createScheduler(parsePolicy(builtinPolicySource(policy)));
  return scheduler.forecast(
    { id: "A-1201", unit: "3-1-1201", owner: { name: "张三", ...(tags ? { tags } : {}) }, charges: [charge] },
    "2026-01-01",
    "2027-06-30",
  );
}

const residential = forecast("residential");
const commercial = forecast("commercial");
const elderly = forecast("residential", ["elderly"]);

function find(actions: PlannedAction[], stage: string): PlannedAction {
  const action = actions.find((a) => a.stage === stage);
  if (!action) throw new Error(`no ${stage} in ${actions.map((a) => a.stage).join(", ")}`);
  return action;
}

const dunning = find(residential, "dunning_notice"); // 2026-03-25, doorPosting + sms
const final = find(residential, "final_notice"); // deadline
const lawyer = find(residential, "arrears_12m_lawyer_letter");
const billing = find(commercial, "billing_notice"); // handDelivery, nothing overdue yet
const visit = find(elderly, "dunning_notice"); // protected owner: offers

/**
 * Every owner-facing kind, from a real scheduler action. The built-in policies plan no reminder,
 * phone call, home visit or formal letter, so those reuse a real action's numbers with the kind changed.
 */
const byKind: Record<(typeof OWNER_KINDS)[number], PlannedAction> = {
  billingNotice: billing,
  reminder: { ...billing, kind: "reminder" },
  dunningNotice: dunning,
  finalNotice: final,
  formalLetter: { ...final, kind: "formalLetter", channels: ["expressMail"] },
  lawyerLetter: lawyer,
  phoneCall: { ...dunning, kind: "phoneCall", channels: ["phone"] },
  homeVisit: { ...visit, kind: "homeVisit", channels: ["homeVisit"] },
};

const ctx = (locale: Locale, extra: Partial<NoticeContext> = {}): NoticeContext => ({
  locale,
  account: { unit: "3-1-1201", owner: { name: "张三" } },
  estate: { name: "阳光花园物业服务中心", paymentChannels: ["微信缴费", "物业服务中心前台"], phone: "0571-8888 0000" },
  ...extra,
});

function ok(result: ReturnType<typeof renderNotice>): { text: string; fields: Record<string, string> } {
  if (!result.ok) throw new Error(`not rendered: missing ${result.missing.join(", ")}`);
  return result;
}

describe("the real scheduler's numbers", () => {
  it("are what the tests expect", () => {
    expect(dunning).toMatchObject({ plannedOn: "2026-03-25", overdueMinor: 30000, lateFeeMinor: 360, totalMinor: 30360, currency: "CNY" });
    expect(dunning.channels).toContain("doorPosting");
    expect(final.deadlineOn).toBe("2026-05-11");
    expect(billing).toMatchObject({ plannedOn: "2026-03-01", unpaidMinor: 30000, lateFeeMinor: 0 });
    expect(visit.offers).toEqual(expect.arrayContaining(["installmentPlan", "homeCollection"]));
  });
});

describe("renderNotice: every owner-facing kind in both locales", () => {
  for (const kind of OWNER_KINDS)
    for (const locale of LOCALES)
      it(`${kind} (${locale})`, () => {
        const action = byKind[kind];
        const { text, fields } = ok(renderNotice(action, ctx(locale, { channel: "sms" })));
        const zh = locale === "zh-CN";
        const principal = kind === "billingNotice" || kind === "reminder" ? action.unpaidMinor : action.overdueMinor;
        expect(text).toContain("3-1-1201");
        expect(text).toContain("张三");
        expect(text).toContain(formatMoney(principal, "CNY", locale)!);
        expect(text).toContain(zh ? "2026年3月1日" : "1 March 2026"); // due date
        expect(text).toContain(zh ? "2026年3月" : "March 2026"); // billing period
        expect(zh ? text.includes("微信缴费、物业服务中心前台") : text.includes("微信缴费, 物业服务中心前台")).toBe(true);
        expect(fields.amount).toBe(formatMoney(principal, "CNY", locale));
        if (action.lateFeeMinor > 0) {
          expect(text).toContain(formatMoney(action.lateFeeMinor, "CNY", locale)!);
          expect(text).toContain(formatMoney(action.totalMinor, "CNY", locale)!);
        } else expect(fields.lateFee).toBeUndefined();
        if (kind !== "billingNotice" && kind !== "reminder") {
          const days = (Date.parse(action.plannedOn) - Date.parse("2026-03-01")) / 86_400_000;
          expect(fields.daysOverdue).toBe(String(days));
          expect(text).toContain(String(days));
        }
        expect(text).not.toMatch(/\{\{|\}\}/);
        expect(text).not.toMatch(/断水|断电|停水|停电|cut off|shut off/i);
      });

  it("states the real amounts and the deadline of the final notice", () => {
    const zh = ok(renderNotice(final, ctx("zh-CN", { channel: "sms" }))).text;
    expect(zh).toContain("限期缴费通知书");
    expect(zh).toContain("欠缴金额：300.00元");
    expect(zh).toContain("滞纳金（按物业服务合同约定计算）：8.25元");
    expect(zh).toContain("合计：308.25元");
    expect(zh).toContain("请您于2026年5月11日前缴清");
    expect(zh).toContain("已逾期：55天");
    expect(zh).toContain("第九百四十四条");
    const en = ok(renderNotice(final, ctx("en", { channel: "sms" }))).text;
    expect(en).toContain("Amount unpaid: CNY 300.00");
    expect(en).toContain("Late fee (as provided by your property service contract): CNY 8.25");
    expect(en).toContain("Total: CNY 308.25");
    expect(en).toContain("by 11 May 2026");
    expect(en).toContain("Days overdue: 55");
  });

  it("the dunning notice and the lawyer's letter cover carry their own numbers", () => {
    const d = ok(renderNotice(dunning, ctx("zh-CN", { channel: "sms" }))).text;
    expect(d).toContain("催费通知书");
    expect(d).toContain("合计：303.60元");
    expect(d).toContain("已逾期：24天");
    const l = ok(renderNotice(lawyer, ctx("en"))).text;
    expect(lawyer.channels).toEqual(["expressMail"]);
    expect(l).toContain("LAWYER'S LETTER");
    expect(l).toContain("Total: CNY 354.75");
    expect(l).toContain("Days overdue: 365");
  });

  it("the phone script has the promise-to-pay follow-up", () => {
    const zh = ok(renderNotice(byKind.phoneCall, ctx("zh-CN"))).text;
    expect(zh).toContain("约定具体日期和金额");
    expect(zh).toContain("到时我会在当天与您联系确认");
    const en = ok(renderNotice(byKind.phoneCall, ctx("en"))).text;
    expect(en).toContain("agree a specific date and amount");
    expect(en).toContain("I'll follow up with you on that day");
  });

  it("the visit script offers help to a protected owner, and not otherwise", () => {
    const zh = ok(renderNotice(byKind.homeVisit, ctx("zh-CN"))).text;
    expect(zh).toContain("书面分期缴费计划");
    expect(zh).toContain("上门为您办理缴费");
    expect(zh).toContain("重点关怀对象");
    const en = ok(renderNotice(byKind.homeVisit, ctx("en"))).text;
    expect(en).toContain("collect the payment here at your home");
    const plain = ok(renderNotice({ ...dunning, kind: "homeVisit", channels: ["homeVisit"] }, ctx("en"))).text;
    expect(plain).not.toContain("[Care note]");
    expect(plain).not.toContain("What we can offer");
  });
});

describe("safe interpolation", () => {
  const evil = "<script>alert(1)</script>\u202E张三\u0007\n\r伪造一行：已缴清 &#60;b&#62;\u2066x\u2069\u0085\u009B";
  for (const locale of LOCALES)
    it(`neutralises markup, controls, bidi overrides and newlines (${locale})`, () => {
      const { text, fields } = ok(
        renderNotice(final, ctx(locale, { channel: "sms", account: { unit: "3-1-1201\n<img src=x>", owner: { name: evil } } })),
      );
      expect(text).not.toMatch(/[<>]/);
      expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
      expect(text).not.toContain("&#");
      expect(fields.owner).not.toMatch(/[\n\r]/);
      expect(fields.unit).toBe("3-1-1201 img src=x");
      // The injected "line" stays on the greeting line: no line of the notice starts with it.
      expect(text.split("\n").some((line) => line.startsWith("伪造一行"))).toBe(false);
      expect(Array.from(fields.owner!).length).toBeLessThanOrEqual(40);
    });

  it("limits the length of ledger values", () => {
    const long = "王".repeat(500);
    const { fields } = ok(renderNotice(final, ctx("zh-CN", { account: { unit: "1".repeat(100), owner: { name: long } } })));
    expect(Array.from(fields.unit!).length).toBe(32);
    expect(fields.unit!.endsWith("…")).toBe(true);
    expect(sanitizeText(long, 40)).toHaveLength(40);
    expect(sanitizeText("😀".repeat(50), 10)).toBe(`${"😀".repeat(9)}…`); // no split surrogate pair
  });
});

describe("missing facts and audiences", () => {
  it("reports a missing unit (door posting) and owner, naming each", () => {
    expect(renderNotice(dunning, { locale: "zh-CN", account: { owner: { name: "张三" } } })).toEqual({ ok: false, missing: ["unit"] });
    expect(renderNotice(dunning, { locale: "en", account: { unit: "  \u202E " } })).toEqual({ ok: false, missing: ["unit", "owner"] });
  });

  it("reports a missing deadline for a final notice", () => {
    const { deadlineOn: _, ...noDeadline } = final;
    expect(renderNotice(noDeadline, ctx("zh-CN"))).toEqual({ ok: false, missing: ["deadline"] });
  });

  it("staff kinds have no owner text: missing audience", () => {
    expect(renderNotice({ ...dunning, kind: "legalReview", audience: "staff" }, ctx("zh-CN"))).toEqual({ ok: false, missing: ["audience"] });
    expect(renderNotice({ ...dunning, kind: "staffFollowUp", audience: "staff" }, ctx("en"))).toEqual({ ok: false, missing: ["audience"] });
  });
});

describe("late fee", () => {
  for (const locale of LOCALES)
    it(`the late fee line is absent when it is 0 (${locale})`, () => {
      const noFee = { ...dunning, lateFeeMinor: 0, totalMinor: dunning.overdueMinor };
      const { text, fields } = ok(renderNotice(noFee, ctx(locale, { channel: "sms" })));
      expect(fields.lateFee).toBeUndefined();
      expect(text).not.toMatch(/滞纳金|late fee/i);
      const real = ok(renderNotice(billing, ctx(locale))).text; // commercial bill on its due day: fee 0
      expect(real).not.toMatch(/滞纳金|late fee/i);
    });
});

describe("door postings (PIPL art. 25, Civil Code art. 1033)", () => {
  for (const locale of LOCALES)
    it(`a door-posted notice shows no amount (${locale})`, () => {
      for (const action of [dunning, final]) {
        expect(action.channels).toContain("doorPosting");
        const { text, fields } = ok(renderNotice(action, ctx(locale)));
        for (const minor of [action.overdueMinor, action.lateFeeMinor, action.totalMinor, action.unpaidMinor])
          expect(text).not.toContain(formatMoney(minor, "CNY", locale)!);
        expect(text).not.toMatch(/\d+\.\d\d/);
        expect(text).not.toMatch(/滞纳金|late fee/i);
        expect(fields.amount).toBe(POSTED_AMOUNT[locale]);
        expect(text).toContain(POSTED_AMOUNT[locale]);
        expect(text).not.toContain("张三");
        expect(fields.owner).toBe("张**");
      }
      // The same action rendered for the owner's own SMS shows the amount.
      expect(ok(renderNotice(dunning, ctx(locale, { channel: "sms" }))).text).toContain(formatMoney(30000, "CNY", locale)!);
    });
});

describe("formatMoney", () => {
  it("uses integer arithmetic", () => {
    expect(formatMoney(30015, "CNY", "zh-CN")).toBe("300.15元");
    expect(formatMoney(5, "USD", "en")).toBe("USD 0.05");
    expect(formatMoney(123456789, "CNY", "en")).toBe("CNY 1,234,567.89");
    expect(formatMoney(-1999, "USD", "zh-CN")).toBe("-19.99 USD");
    expect(formatMoney(0.5, "CNY", "en")).toBeUndefined();
    expect(formatMoney(100, "<b>", "en")).toBeUndefined();
  });

  it("reads an action's amounts with the action's minor digits", () => {
    expect(formatMoney(1500, "JPY", "en", 0)).toBe("JPY 1,500");
    expect(formatMoney(12345, "KWD", "zh-CN", 3)).toBe("12.345 KWD");
    const yen = { ...dunning, currency: "JPY", minorDigits: 0, overdueMinor: 15000, lateFeeMinor: 0, totalMinor: 15000 };
    expect(ok(renderNotice(yen, ctx("en", { channel: "sms" }))).text).toContain("JPY 15,000");
  });
});

describe("an owner's one notice for several units (ownerNotice)", () => {
  // 张三 holds the flat 3-1-1201 (March's 300.00, due 03-01) and a parking space (January's 160.00,
  // due 01-01, nothing due for it on 03-25). The built-in's late fee is 0.05% a day from the day
  // after the due date: flat 0.15 × 24 days = 3.60; parking 0.08 × 83 days (01-02..03-25) = 6.64.
  const parkingCharge = { id: "c-park-jan", period: "2026-01", dueOn: "2026-01-01", amountMinor: 16000, unpaidMinor: 16000, lateFeeMinor: 664, overdue: true };
  const withUnits = (parkingUnit: string): PlannedAction => ({
    ...dunning,
    ownerNotice: {
      ownerId: "O-3",
      units: [
        { accountId: "A-1201", unit: "3-1-1201", actionId: dunning.id, stage: dunning.stage, overdueMinor: 30000, lateFeeMinor: 360, totalMinor: 30360, charges: dunning.charges },
        { accountId: "P-017", unit: parkingUnit, overdueMinor: 16000, lateFeeMinor: 664, totalMinor: 16664, charges: [parkingCharge] },
      ],
      overdueMinor: 46000,
      lateFeeMinor: 1024,
      totalMinor: 47024,
    },
  });

  it("the SMS lists each unit with its amount and late fee, and the totals (zh-CN)", () => {
    const { text, fields } = ok(renderNotice(withUnits("P-017"), ctx("zh-CN", { channel: "sms" })));
    expect(text).toContain("\n3-1-1201：欠缴300.00元，滞纳金3.60元，小计303.60元\nP-017：欠缴160.00元，滞纳金6.64元，小计166.64元\n");
    expect(text).toContain("欠缴金额：460.00元");
    expect(text).toContain("滞纳金（按物业服务合同约定计算）：10.24元");
    expect(text).toContain("合计：470.24元");
    // Both units named; the oldest period first; overdue since the parking space's 01-01 (art. 201: 83 days).
    expect([fields.unit, fields.periods, fields.dueDate, fields.daysOverdue]).toEqual(["3-1-1201、P-017", "2026年1月、2026年3月", "2026年1月1日", "83"]);
  });

  it("the SMS lists each unit with its amount and late fee, and the totals (en)", () => {
    const { text } = ok(renderNotice(withUnits("P-017"), ctx("en", { channel: "sms" })));
    expect(text).toContain("\nUnit 3-1-1201: unpaid CNY 300.00, late fee CNY 3.60, subtotal CNY 303.60\nUnit P-017: unpaid CNY 160.00, late fee CNY 6.64, subtotal CNY 166.64\n");
    expect(text).toContain("Total: CNY 470.24");
  });

  it("a unit without a late fee has no late-fee part", () => {
    const action = withUnits("P-017");
    const units = action.ownerNotice!.units;
    action.ownerNotice = { ...action.ownerNotice!, units: [units[0]!, { ...units[1]!, lateFeeMinor: 0, totalMinor: 16000 }], lateFeeMinor: 360, totalMinor: 46360 };
    expect(ok(renderNotice(action, ctx("en", { channel: "sms" }))).text).toContain("\nUnit P-017: unpaid CNY 160.00, subtotal CNY 160.00\n");
  });

  it("a unit label from the ledger is cleaned: it cannot start a line or carry markup", () => {
    for (const locale of LOCALES) {
      const { text } = ok(renderNotice(withUnits("P-017<b>\n伪造一行：已缴清"), ctx(locale, { channel: "sms" })));
      expect(text).not.toMatch(/[<>]/);
      expect(text.split("\n").some((line) => line.startsWith("伪造一行"))).toBe(false);
    }
  });

  it("the copy on the door names only its own unit and no amount", () => {
    for (const locale of LOCALES) {
      const { text, fields } = ok(renderNotice(withUnits("P-017"), ctx(locale, { channel: "doorPosting" })));
      expect(text).not.toContain("P-017");
      expect(text).not.toMatch(/300\.00|160\.00|460\.00/);
      expect(fields.unit).toBe("3-1-1201");
    }
  });
});
