/**
 * An owner's one notice as people read it (issue 18, item 2; review s5, item 10): each unit's line
 * states its own amounts and, where its action states one, its own pay-by day (two estates, two
 * final notices with different deadlines); and the phone and home-visit scripts print the same
 * unit lines, in zh-CN and en, with the ledger's text cleaned. Expected values come from S2's
 * residential ladder (DOMAIN.md): the final notice on day 25 of the month after the billing month,
 * pay within its `deadlineDays` (the built-in's 15; south-bay's own 10), a deadline on a rest day
 * moved to the next working day (Civil Code art. 203; 2026's Qingming holiday is 04-04..04-06);
 * the built-in's late fee, 0.05% a day from the day after the due date.
 */
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { renderNotice, type NoticeContext } from "../src/notices/index.js";

const AS_OF = "2026-03-25";
const northPark = parsePolicy({ extends: "residential", id: "north-park", version: "2026.1", owners: { oneNoticePerOwner: true } });
const southBay = parsePolicy({ extends: "residential", id: "south-bay", version: "2026.1", owners: { oneNoticePerOwner: true }, stages: [{ id: "final_notice", deadlineDays: 10 }] });

/** February unpaid; its bill (02-01) and dunning notice (02-25) went out: the final notice is due on 03-25. */
const february = (id: string, unit: string, estate: string, amountMinor: number): AccountSnapshot => ({
  id,
  unit,
  estate,
  owner: { id: "O-5", name: "刘洋" },
  charges: [{ id: "feb", period: "2026-02", dueOn: "2026-02-01", amountMinor }],
  actions: [
    { id: `${id}:billing_notice@feb`, stage: "billing_notice", on: "2026-02-01", covers: ["billing_notice@feb"] },
    { id: `${id}:dunning_notice@feb`, stage: "dunning_notice", on: "2026-02-25", covers: ["dunning_notice@feb"] },
  ],
});
const flat = february("F-5", "8-1-0801", "north-park", 32000);
const parking = february("P-5", "P-017", "south-bay", 16000);
/** January unpaid, its bill, dunning and final notice all sent: nothing is due for it on 03-25 (the arrears bill comes 04-01), but it owes. */
const storeroom: AccountSnapshot = {
  id: "S-5",
  unit: "S-01",
  estate: "north-park",
  owner: { id: "O-5", name: "刘洋" },
  charges: [{ id: "jan", period: "2026-01", dueOn: "2026-01-01", amountMinor: 16000 }],
  actions: [
    { id: "S-5:billing_notice@jan", stage: "billing_notice", on: "2026-01-01", covers: ["billing_notice@jan"] },
    { id: "S-5:dunning_notice@jan", stage: "dunning_notice", on: "2026-01-25", covers: ["dunning_notice@jan"] },
    { id: "S-5:final_notice@jan", stage: "final_notice", on: "2026-02-25", covers: ["final_notice@jan"] },
  ],
};

async function theNotice(): Promise<PlannedAction> {
  const all: PlanEvent[] = [];
  for await (const e of plan(memoryLedger([flat, parking, storeroom]), { asOf: AS_OF, estates: { "north-park": { residential: northPark }, "south-bay": { residential: southBay } } })) all.push(e);
  const sent = all.flatMap((e) => (e.type === "planned" ? e.actions.filter((a) => a.sentWith === undefined) : []));
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

const context = (locale: NoticeContext["locale"], channel: NoticeContext["channel"], unit = "8-1-0801"): NoticeContext => ({ locale, channel, account: { unit, owner: { name: "刘洋" } }, estate: { name: "北园物业服务中心" } });
const ok = (r: ReturnType<typeof renderNotice>) => {
  if (!r.ok) throw new Error(`missing ${r.missing.join(", ")}`);
  return r;
};

describe("each unit's own pay-by day on the owner's one notice (review s5, item 10)", () => {
  // Late fees, 0.05% a day over 02-02..03-25 (27 + 25 = 52 days): flat 0.16 × 52 = 8.32, parking
  // 0.08 × 52 = 4.16; storeroom 0.08 × 83 days (01-02..03-25) = 6.64.
  it("the flat's final notice (north-park, 15 days: 04-09) carries the parking space's (south-bay, 10 days: 04-04, Qingming, so 04-07); the storeroom merely owes: no day", async () => {
    const notice = await theNotice();
    expect([notice.accountId, notice.stage, notice.deadlineOn]).toEqual(["F-5", "final_notice", "2026-04-09"]);
    expect(notice.ownerNotice!.units.map((u) => [u.accountId, u.stage, u.deadlineOn, u.overdueMinor, u.lateFeeMinor, u.totalMinor])).toEqual([
      ["F-5", "final_notice", "2026-04-09", 32000, 832, 32832],
      ["P-5", "final_notice", "2026-04-07", 16000, 416, 16416],
      ["S-5", undefined, undefined, 16000, 664, 16664],
    ]);
  });

  it("zh-CN: each line states its own day; the notice's sentence points to them, the total 640.00 + 19.12 = 659.12", async () => {
    const { text } = ok(renderNotice(await theNotice(), context("zh-CN", "sms")));
    expect(text).toContain(
      ["8-1-0801：欠缴320.00元，滞纳金8.32元，小计328.32元，请于2026年4月9日前缴清", "P-017：欠缴160.00元，滞纳金4.16元，小计164.16元，请于2026年4月7日前缴清", "S-01：欠缴160.00元，滞纳金6.64元，小计166.64元"].join("\n"),
    );
    expect(text).toContain("合计：659.12元");
    expect(text).toContain("请您于上列各单元所注日期前缴清上述费用。");
    expect(text).not.toContain("2026年4月9日前缴清上述费用");
  });

  it("en: the same", async () => {
    const { text } = ok(renderNotice(await theNotice(), context("en", "sms")));
    expect(text).toContain(
      [
        "Unit 8-1-0801: unpaid CNY 320.00, late fee CNY 8.32, subtotal CNY 328.32, to be paid by 9 April 2026",
        "Unit P-017: unpaid CNY 160.00, late fee CNY 4.16, subtotal CNY 164.16, to be paid by 7 April 2026",
        "Unit S-01: unpaid CNY 160.00, late fee CNY 6.64, subtotal CNY 166.64",
      ].join("\n"),
    );
    expect(text).toContain("Total: CNY 659.12");
    expect(text).toContain("Please pay the amount above by the date given for each unit above.");
  });

  it("one pay-by day for every unit that has one: the notice's sentence states it", async () => {
    const notice = await theNotice();
    const units = notice.ownerNotice!.units.map((u) => (u.deadlineOn ? { ...u, deadlineOn: "2026-04-09" } : u));
    const { text } = ok(renderNotice({ ...notice, ownerNotice: { ...notice.ownerNotice!, units } }, context("zh-CN", "sms")));
    expect(text).toContain("请您于2026年4月9日前缴清上述费用。");
    expect(text).toContain("P-017：欠缴160.00元，滞纳金4.16元，小计164.16元，请于2026年4月9日前缴清");
  });

  it("a unit's pay-by day that is not a day cannot be printed: the line is named missing, never left out", async () => {
    const notice = await theNotice();
    const units = notice.ownerNotice!.units.map((u, i) => (i === 1 ? { ...u, deadlineOn: "2026-04-31" } : u));
    expect(renderNotice({ ...notice, ownerNotice: { ...notice.ownerNotice!, units } }, context("en", "sms"))).toEqual({ ok: false, missing: ["ownerNotice.units[1]"] });
  });
});

describe("the phone and home-visit scripts print every unit's line (a call or visit that mentions the owner's other units)", () => {
  // The planner sends a call or a visit alone (only written notices are carried), but an action
  // read from a file, or a vendor's own, may carry an owner notice: its script reads the same lines.
  // Periods oldest first (January, February); overdue since the storeroom's 01-01: 31 + 28 + 24 = 83 days (art. 201).
  const asScript = async (kind: "phoneCall" | "homeVisit"): Promise<PlannedAction> => {
    const notice = await theNotice();
    const { deadlineOn: _, ...rest } = notice;
    return { ...rest, kind, channels: [kind === "phoneCall" ? "phone" : "homeVisit"] };
  };
  const zhLines = ["8-1-0801：欠缴320.00元，滞纳金8.32元，小计328.32元，请于2026年4月9日前缴清", "P-017：欠缴160.00元，滞纳金4.16元，小计164.16元，请于2026年4月7日前缴清", "S-01：欠缴160.00元，滞纳金6.64元，小计166.64元"];
  const enLines = [
    "Unit 8-1-0801: unpaid CNY 320.00, late fee CNY 8.32, subtotal CNY 328.32, to be paid by 9 April 2026",
    "Unit P-017: unpaid CNY 160.00, late fee CNY 4.16, subtotal CNY 164.16, to be paid by 7 April 2026",
    "Unit S-01: unpaid CNY 160.00, late fee CNY 6.64, subtotal CNY 166.64",
  ];

  for (const [kind, zhTitle, enTitle] of [
    ["phoneCall", "电话催缴话术", "PHONE CALL SCRIPT"],
    ["homeVisit", "上门拜访话术", "HOME VISIT SCRIPT"],
  ] as const) {
    it(`${kind}, zh-CN: the units named, the totals said, then one line per unit before the ways to pay`, async () => {
      const { text } = ok(renderNotice(await asScript(kind), context("zh-CN", kind === "phoneCall" ? "phone" : "homeVisit")));
      const lines = text.split("\n");
      expect(lines[0]).toBe(`${zhTitle}（8-1-0801、P-017、S-01）`);
      expect(text).toContain("2. 说明：“您名下8-1-0801、P-017、S-01（2026年1月、2026年2月）的物业服务费640.00元，缴费期限是2026年1月1日，目前已逾期83天。”");
      expect(text).toContain("   “按物业服务合同约定，目前滞纳金为19.12元，合计659.12元。”\n" + zhLines.join("\n") + "\n");
      const pay = lines.findIndex((l) => /^\d\. 缴费方式/.test(l));
      expect(lines.indexOf(zhLines[2]!)).toBeLessThan(pay);
    });

    it(`${kind}, en: the same`, async () => {
      const { text } = ok(renderNotice(await asScript(kind), context("en", kind === "phoneCall" ? "phone" : "homeVisit")));
      expect(text.split("\n")[0]).toBe(`${enTitle} (unit 8-1-0801, P-017, S-01)`);
      expect(text).toContain("of CNY 640.00 was due on 1 January 2026 and is now 83 days overdue.");
      expect(text).toContain("   \"Under your service contract the late fee so far is CNY 19.12, CNY 659.12 in total.\"\n" + enLines.join("\n") + "\n");
    });

    it(`${kind}: a unit label from the ledger is cleaned in both languages: no new line, no markup, no placeholder`, async () => {
      const action = await asScript(kind);
      const hostile = "P-017\n3. 付款<b>{{amount}}</b> & 6222";
      const units = action.ownerNotice!.units.map((u) => (u.accountId === "P-5" ? { ...u, unit: hostile } : u));
      for (const locale of ["zh-CN", "en"] as const) {
        const { text } = ok(renderNotice({ ...action, ownerNotice: { ...action.ownerNotice!, units } }, context(locale, kind === "phoneCall" ? "phone" : "homeVisit")));
        // Cleaned: the break a space, markup and braces gone, `&` fullwidth (27 code points: under the unit's 32).
        const cleaned = "P-017 3. 付款bamount/b ＆ 6222";
        expect(text).toContain(locale === "zh-CN" ? `${cleaned}：欠缴160.00元` : `Unit ${cleaned}: unpaid CNY 160.00`);
        expect(text.split("\n").filter((l) => l.startsWith("3. 付款"))).toEqual([]);
        expect(text).not.toMatch(/[<>]|\{\{|\}\}/);
      }
    });
  }
});
