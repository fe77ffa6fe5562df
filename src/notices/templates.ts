/**
 * Notice templates: plain text with `{{field}}` placeholders, one per owner-facing kind and
 * locale. A line whose placeholders are not all present in the rendered fields is left out, so
 * optional facts (a late fee, a deadline, a call window, offers) never print as blanks.
 *
 * Tone (S1, S3): respectful; the only consequences stated are lawful next measures (further
 * written demands, and for a demand with a deadline, a lawsuit or arbitration under Civil Code
 * art. 944). Nothing threatens utilities, access or disclosure; every notice offers a way to
 * raise a dispute or a difficulty (installment plan).
 */
import { STAFF_KINDS, STAGE_KINDS, type OwnerKind } from "../rules/kinds.js";

export type Locale = "zh-CN" | "en";

/** Kinds addressed to the owner (the rows of STAGE_KIND_TABLE whose audience is `owner`). */
export type { OwnerKind };

export const OWNER_KINDS: readonly OwnerKind[] = STAGE_KINDS.filter((k): k is OwnerKind => !STAFF_KINDS.has(k));

/** Fields each kind cannot do without; a missing one makes `renderNotice` return `ok: false`. */
export const REQUIRED_FIELDS: Readonly<Record<OwnerKind, readonly string[]>> = {
  billingNotice: ["unit", "owner", "periods", "amount", "dueDate"],
  reminder: ["unit", "owner", "periods", "amount", "dueDate"],
  phoneCall: ["unit", "owner", "periods", "amount", "dueDate", "daysOverdue"],
  dunningNotice: ["unit", "owner", "periods", "amount", "dueDate", "daysOverdue"],
  homeVisit: ["unit", "owner", "periods", "amount", "dueDate", "daysOverdue"],
  formalLetter: ["unit", "owner", "periods", "amount", "dueDate", "daysOverdue", "deadline"],
  finalNotice: ["unit", "owner", "periods", "amount", "dueDate", "daysOverdue", "deadline"],
  lawyerLetter: ["unit", "owner", "periods", "amount", "dueDate", "daysOverdue"],
};

/**
 * One line per unit on an owner's one notice (`action.ownerNotice`): its fields are the unit's
 * own (`unit`, `amount`, `lateFee`, `total`, `deadline`); a unit without a late fee has its own
 * line, and a unit whose action states a pay-by day (its `deadlineOn`) ends with `deadline`. The
 * notice's `{{ownerUnits}}` line expands to these, one per unit, and its amounts are the totals.
 * When the units' pay-by days differ, the notice's own `{{deadline}}` is `eachUnitDeadline`.
 */
export const OWNER_UNIT_LINES: Readonly<Record<Locale, { withLateFee: string; withoutLateFee: string; deadline: string; eachUnitDeadline: string }>> = {
  "zh-CN": { withLateFee: "{{unit}}：欠缴{{amount}}，滞纳金{{lateFee}}，小计{{total}}", withoutLateFee: "{{unit}}：欠缴{{amount}}，小计{{total}}", deadline: "，请于{{deadline}}前缴清", eachUnitDeadline: "上列各单元所注日期" },
  en: { withLateFee: "Unit {{unit}}: unpaid {{amount}}, late fee {{lateFee}}, subtotal {{total}}", withoutLateFee: "Unit {{unit}}: unpaid {{amount}}, subtotal {{total}}", deadline: ", to be paid by {{deadline}}", eachUnitDeadline: "the date given for each unit above" },
};

const ZH_AMOUNTS = [
  "计费周期：{{periods}}",
  "{{ownerUnits}}",
  "{{amountLabel}}：{{amount}}",
  "滞纳金（按物业服务合同约定计算）：{{lateFee}}",
  "合计：{{total}}",
  "{{dueLabel}}：{{dueDate}}",
  "已逾期：{{daysOverdue}}天",
  "{{postedNote}}",
];

const EN_AMOUNTS = [
  "Billing period(s): {{periods}}",
  "{{ownerUnits}}",
  "{{amountLabel}}: {{amount}}",
  "Late fee (as provided by your property service contract): {{lateFee}}",
  "Total: {{total}}",
  "{{dueLabel}}: {{dueDate}}",
  "Days overdue: {{daysOverdue}}",
  "{{postedNote}}",
];

const ZH_SIGN = ["", "{{estate}}", "{{issuedOn}}"];
const EN_SIGN = ["", "{{estate}}", "{{issuedOn}}"];

const ZH_HELP = "如您已缴纳，请忽略本通知；如对费用或服务有异议，或暂时存在困难，请联系{{contact}}，我们将记录、核实并与您协商（可商定书面分期缴费计划）。";
const EN_HELP =
  "If you have already paid, please disregard this notice. If you question the charge or the service, or are having difficulty paying, please contact {{contact}}: we will record and look into it, and can agree a written installment plan with you.";

const lines = (...parts: (string | readonly string[])[]): string => parts.flat().join("\n");

export const TEMPLATES: Readonly<Record<OwnerKind, Readonly<Record<Locale, string>>>> = {
  billingNotice: {
    "zh-CN": lines(
      "收费通知书",
      "尊敬的{{owner}}业主/住户：",
      "您好！现将您名下{{unit}}的物业服务费通知如下：",
      ZH_AMOUNTS,
      "缴费方式：{{paymentChannels}}",
      "如有疑问，请联系{{contact}}。感谢您对物业服务工作的支持与配合！",
      ZH_SIGN,
    ),
    en: lines(
      "BILLING NOTICE",
      "Dear {{owner}},",
      "Please find below the property service fee for unit {{unit}}.",
      EN_AMOUNTS,
      "How to pay: {{paymentChannels}}",
      "If you have any questions, please contact {{contact}}. Thank you for your support.",
      EN_SIGN,
    ),
  },
  reminder: {
    "zh-CN": lines(
      "温馨提示",
      "尊敬的{{owner}}业主/住户：",
      "您好！温馨提醒您按时缴纳{{unit}}的物业服务费：",
      ZH_AMOUNTS,
      "缴费方式：{{paymentChannels}}",
      "如已缴纳，请忽略本提示。如有疑问，请联系{{contact}}。祝您生活愉快！",
      ZH_SIGN,
    ),
    en: lines(
      "FRIENDLY REMINDER",
      "Dear {{owner}},",
      "This is a friendly reminder about the property service fee for unit {{unit}}.",
      EN_AMOUNTS,
      "How to pay: {{paymentChannels}}",
      "If you have already paid, please disregard this reminder. Questions: {{contact}}. Thank you!",
      EN_SIGN,
    ),
  },
  dunningNotice: {
    "zh-CN": lines(
      "催费通知书",
      "尊敬的{{owner}}业主/住户：",
      "您好！经核对，您名下{{unit}}的以下物业服务费尚未缴纳：",
      ZH_AMOUNTS,
      "请您尽快缴纳。缴费方式：{{paymentChannels}}",
      ZH_HELP,
      "逾期仍未缴纳的，本中心将按规定继续以书面形式催缴。感谢您的理解与配合！",
      ZH_SIGN,
    ),
    en: lines(
      "PAYMENT DUE NOTICE",
      "Dear {{owner}},",
      "Our records show that the following property service fee for unit {{unit}} is unpaid:",
      EN_AMOUNTS,
      "Please pay at your earliest convenience. How to pay: {{paymentChannels}}",
      EN_HELP,
      "If the fee remains unpaid, we will continue to remind you in writing as the regulations provide. Thank you for your cooperation.",
      EN_SIGN,
    ),
  },
  finalNotice: {
    "zh-CN": lines(
      "限期缴费通知书",
      "尊敬的{{owner}}业主/住户：",
      "您好！您名下{{unit}}的以下物业服务费经多次通知仍未缴纳：",
      ZH_AMOUNTS,
      "请您于{{deadline}}前缴清上述费用。缴费方式：{{paymentChannels}}",
      ZH_HELP,
      "逾期仍未缴纳的，本中心将依据《中华人民共和国民法典》第九百四十四条，依法通过诉讼或仲裁主张权利。",
      ZH_SIGN,
    ),
    en: lines(
      "FINAL NOTICE: PAYMENT DEADLINE",
      "Dear {{owner}},",
      "Despite earlier notices, the following property service fee for unit {{unit}} remains unpaid:",
      EN_AMOUNTS,
      "Please pay the amount above by {{deadline}}. How to pay: {{paymentChannels}}",
      EN_HELP,
      "If it remains unpaid after that date, we may pursue the claim through the courts or arbitration, as Civil Code art. 944 provides.",
      EN_SIGN,
    ),
  },
  formalLetter: {
    "zh-CN": lines(
      "正式催缴函",
      "{{owner}}业主/住户（{{unit}}）：",
      "本中心此前已通知您缴纳物业服务费。截至{{issuedOn}}，您名下{{unit}}仍欠缴以下费用：",
      ZH_AMOUNTS,
      "现依据《中华人民共和国民法典》第九百四十四条，正式催告您于{{deadline}}前缴清上述费用。缴费方式：{{paymentChannels}}",
      ZH_HELP,
      "逾期仍未缴纳的，本中心将依法通过诉讼或仲裁主张权利。",
      ZH_SIGN,
    ),
    en: lines(
      "FORMAL DEMAND FOR PAYMENT",
      "To {{owner}}, unit {{unit}}:",
      "We have previously asked you to pay the property service fee. As of {{issuedOn}}, the following remains unpaid for unit {{unit}}:",
      EN_AMOUNTS,
      "Under Civil Code art. 944, we formally ask you to pay the amount above by {{deadline}}. How to pay: {{paymentChannels}}",
      EN_HELP,
      "If it remains unpaid after that date, we may pursue the claim through the courts or arbitration.",
      EN_SIGN,
    ),
  },
  lawyerLetter: {
    "zh-CN": lines(
      "律师函送达说明",
      "尊敬的{{owner}}业主/住户：",
      "就您名下{{unit}}欠缴物业服务费一事，本中心已委托律师出具律师函，随本说明一并送达，请您查阅。欠费情况如下：",
      ZH_AMOUNTS,
      "律师函载明的缴费期限：{{deadline}}",
      "缴费方式：{{paymentChannels}}",
      ZH_HELP,
      ZH_SIGN,
    ),
    en: lines(
      "COVER NOTE: LAWYER'S LETTER",
      "Dear {{owner}},",
      "Regarding the unpaid property service fee for unit {{unit}}, we have instructed a lawyer, whose letter is enclosed. The arrears are:",
      EN_AMOUNTS,
      "Deadline stated in the lawyer's letter: {{deadline}}",
      "How to pay: {{paymentChannels}}",
      EN_HELP,
      EN_SIGN,
    ),
  },
  phoneCall: {
    "zh-CN": lines(
      "电话催缴话术（{{unit}}）",
      "【致电时段】{{window}}",
      "1. 问候：“您好，请问是{{owner}}业主吗？我是{{estate}}的工作人员。”（确认是业主本人后再谈费用，不向他人透露欠费情况。）",
      "2. 说明：“您名下{{unit}}（{{periods}}）的物业服务费{{amount}}，缴费期限是{{dueDate}}，目前已逾期{{daysOverdue}}天。”",
      "   “按物业服务合同约定，目前滞纳金为{{lateFee}}，合计{{total}}。”",
      "{{ownerUnits}}",
      "3. 缴费方式：“{{paymentChannels}}。”",
      "4. 约定缴费：如业主表示“过两天”等不确定时间，请约定具体日期和金额：“为方便您，我们约定一个具体的日期好吗？请问您哪一天可以缴纳、缴纳多少？”",
      "   复述确认：“好的，我们约定您于____年__月__日缴纳____元，到时我会在当天与您联系确认。”在系统中登记约定日期和金额，并于约定当天跟进。",
      "5. 如业主对服务有异议：“感谢您的反馈，我们会记录下来并尽快核实，核实后给您答复。”（登记异议，核实前暂缓催缴。）",
      "6. 如业主有困难：“请问有什么需要我们帮忙的吗？我们可以协商书面分期缴费计划。”",
      "7. 结束：“感谢您的理解和支持，祝您生活愉快！”",
      "注意：语气礼貌，不得威胁；致电时间不早于8:00、不晚于21:00。",
    ),
    en: lines(
      "PHONE CALL SCRIPT (unit {{unit}})",
      "[Call window] {{window}}",
      "1. Greeting: \"Hello, may I speak with {{owner}}? I'm calling from {{estate}}.\" (Confirm you are speaking with the owner before mentioning the fee; never discuss it with anyone else.)",
      "2. Explain: \"The property service fee for unit {{unit}}, {{periods}}, of {{amount}} was due on {{dueDate}} and is now {{daysOverdue}} days overdue.\"",
      "   \"Under your service contract the late fee so far is {{lateFee}}, {{total}} in total.\"",
      "{{ownerUnits}}",
      "3. How to pay: \"You can pay by: {{paymentChannels}}.\"",
      "4. Promise to pay: if the owner is vague (\"in a couple of days\"), agree a specific date and amount: \"So that it's convenient for you, could we agree a date? On which day can you pay, and how much?\"",
      "   Confirm it back: \"Thank you. So we've agreed you will pay ____ on ____ (date). I'll follow up with you on that day.\" Record the date and amount, and follow up on exactly that date.",
      "5. If the owner disputes the service: \"Thank you for telling us. I've noted it; we will look into it and get back to you.\" (Record the dispute; collection waits for the check.)",
      "6. If the owner is in difficulty: \"Is there anything we can help with? We can agree a written installment plan.\"",
      "7. Close: \"Thank you for your understanding. Have a good day.\"",
      "Note: stay courteous, no threats; call only between 08:00 and 21:00.",
    ),
  },
  homeVisit: {
    "zh-CN": lines(
      "上门拜访话术（{{unit}}）",
      "【拜访时段】{{window}}",
      "【关怀提示】{{careNote}}",
      "1. 问候：“您好，请问是{{owner}}业主吗？我是{{estate}}的工作人员，今天来拜访您。”（确认是业主本人后再谈费用，不在邻居面前谈及欠费。）",
      "2. 说明：“您名下{{unit}}（{{periods}}）的物业服务费{{amount}}，缴费期限是{{dueDate}}，目前已逾期{{daysOverdue}}天。”",
      "   “按物业服务合同约定，目前滞纳金为{{lateFee}}，合计{{total}}。”",
      "{{ownerUnits}}",
      "3. 可提供的帮助：“{{offers}}”",
      "4. 缴费方式：“{{paymentChannels}}。”",
      "5. 约定缴费：如业主表示“过两天”等，请约定具体日期和金额，并复述：“我们约定您于____年__月__日缴纳____元，到时我会在当天与您联系确认。”登记后于约定当天跟进。",
      "6. 了解服务意见：如有异议，当场记录，承诺核实后答复（核实前暂缓催缴）。",
      "7. 结束：“感谢您的理解和支持！”",
      "注意：态度礼貌，不得施压或威胁；拜访时间不早于8:00、不晚于21:00。",
    ),
    en: lines(
      "HOME VISIT SCRIPT (unit {{unit}})",
      "[Visit window] {{window}}",
      "[Care note] {{careNote}}",
      "1. Greeting: \"Hello, are you {{owner}}? I'm from {{estate}}, visiting you today.\" (Confirm you are speaking with the owner; never mention the fee in front of neighbours.)",
      "2. Explain: \"The property service fee for unit {{unit}}, {{periods}}, of {{amount}} was due on {{dueDate}} and is now {{daysOverdue}} days overdue.\"",
      "   \"Under your service contract the late fee so far is {{lateFee}}, {{total}} in total.\"",
      "{{ownerUnits}}",
      "3. What we can offer: \"{{offers}}\"",
      "4. How to pay: \"You can pay by: {{paymentChannels}}.\"",
      "5. Promise to pay: if the owner is vague, agree a specific date and amount and confirm it back: \"So we've agreed you will pay ____ on ____ (date); I'll follow up with you on that day.\" Record it and follow up on exactly that date.",
      "6. Listen to concerns about the service: record any dispute and promise to look into it (collection waits for the check).",
      "7. Close: \"Thank you for your understanding.\"",
      "Note: stay courteous, no pressure or threats; visit only between 08:00 and 21:00.",
    ),
  },
};
