/**
 * Renders a planned action as the text a person reads: a notice for the owner, or a call / visit
 * script for the staff member who calls or visits. Pure; no clock (dates come from the action).
 *
 * Staff kinds (`legalReview`, `staffFollowUp`, or any action whose `audience` is `"staff"`) have
 * no owner-facing text: `renderNotice` returns `{ ok: false, missing: ["audience"] }` for them.
 * It never throws for bad data; a required fact that is absent or unusable is named in `missing`.
 */
import { CHANNEL_TABLE, STAGE_KIND_TABLE, type Channel } from "../rules/kinds.js";
import type { ActionCharge, OwnerNotice, PlannedAction } from "../schedule/ladder/action.js";
import { parseCivilDate } from "../schedule/time/civil-date.js";
import { LIMITS, maskName, sanitizeText } from "./sanitize.js";
import { OWNER_KINDS, OWNER_UNIT_LINES, REQUIRED_FIELDS, TEMPLATES, type Locale, type OwnerKind } from "./templates.js";
import { formatMinor } from "../schedule/fees/money-text.js";

export interface NoticeContext {
  locale: Locale;
  /** From the account snapshot (ledger data: untrusted; cleaned and length-limited). */
  account?: { unit?: string; owner?: { name?: string } };
  estate?: { name?: string; paymentChannels?: string[]; phone?: string };
  /**
   * The channel this copy is for. Default: a public channel (`doorPosting`) when the action's
   * channels include one (the most public one wins), so a single rendering is always safe to post.
   */
  channel?: Channel;
}

export type NoticeResult =
  | { ok: true; text: string; fields: Record<string, string> }
  | { ok: false; missing: string[]; text?: undefined };

/** What a door-posted notice prints instead of an amount. */
export const POSTED_AMOUNT: Readonly<Record<Locale, string>> = {
  "zh-CN": "详见短信/请联系物业服务中心",
  en: "see the message sent to you, or contact the property service center",
};

const POSTED_NOTE: Readonly<Record<Locale, string>> = {
  "zh-CN": "（为保护您的隐私，张贴的通知不显示金额，详见发送给您本人的短信。）",
  en: "(To protect your privacy, amounts are not shown on posted notices; see the message sent to you.)",
};

const DEFAULTS = {
  "zh-CN": {
    estate: "物业服务中心",
    channels: "物业服务中心前台缴纳，或物业公布的线上缴费渠道",
    listSep: "、",
    amountLabel: { informational: "应缴金额", dunning: "欠缴金额" },
    dueLabel: { informational: "缴费期限", dunning: "原缴费期限" },
    care: "该业主为重点关怀对象，请耐心沟通，主动询问是否需要帮助，不得施压。",
  },
  en: {
    estate: "the Property Service Center",
    channels: "at the Property Service Center, or through the estate's published online payment channels",
    listSep: ", ",
    amountLabel: { informational: "Amount due", dunning: "Amount unpaid" },
    dueLabel: { informational: "Due date", dunning: "Originally due" },
    care: "This owner is under special care: be patient, ask whether they need help, and never press.",
  },
} as const;

const OFFER_TEXT: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  "zh-CN": {
    help: "请问您有什么困难需要我们帮助吗？",
    installmentPlan: "如一次缴清有困难，可以和我们商定书面分期缴费计划。",
    homeCollection: "我们可以上门为您办理缴费，不用您跑一趟。",
  },
  en: {
    help: "Is there anything you need help with?",
    installmentPlan: "If paying at once is difficult, we can agree a written installment plan.",
    homeCollection: "We can collect the payment here at your home, so you don't need to come to the office.",
  },
};

const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** `2026-03-01` → `2026年3月1日` / `1 March 2026`; undefined for anything else. */
export function formatDate(text: unknown, locale: Locale): string | undefined {
  if (typeof text !== "string" || parseCivilDate(text) === undefined) return undefined;
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  return locale === "zh-CN" ? `${y}年${m}月${d}日` : `${d} ${EN_MONTHS[m - 1]} ${y}`;
}

/** `2026-03` → `2026年3月` / `March 2026`; other text is cleaned and kept. */
function formatPeriod(text: unknown, locale: Locale): string {
  const match = typeof text === "string" ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text) : null;
  if (!match) return sanitizeText(text, 32);
  const y = match[1]!;
  const m = Number(match[2]);
  return locale === "zh-CN" ? `${y}年${m}月` : `${EN_MONTHS[m - 1]} ${y}`;
}

/**
 * Minor units → major units with the currency, by integer arithmetic only (`30015` CNY →
 * `300.15元` / `CNY 300.15`), `digits` minor digits (2 for fen and cents; an action states its
 * own). Undefined for a non-integer amount or a currency that is not three capital letters.
 */
export function formatMoney(minor: unknown, currency: unknown, locale: Locale, digits = 2): string | undefined {
  if (typeof minor !== "number" || !Number.isSafeInteger(minor)) return undefined;
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) return undefined;
  const major = formatMinor(minor, digits);
  if (locale === "zh-CN") return currency === "CNY" ? `${major}元` : `${major} ${currency}`;
  return minor < 0 ? `-${currency} ${major.slice(1)}` : `${currency} ${major}`;
}

/** Days from the oldest overdue charge's due date to `plannedOn` (the start day not counted, Civil Code art. 201). */
function daysOverdue(plannedOn: string, charges: readonly ActionCharge[]): number | undefined {
  const planned = parseCivilDate(plannedOn);
  if (planned === undefined) return undefined;
  let oldest: number | undefined;
  for (const charge of charges) {
    if (!charge.overdue) continue;
    const due = parseCivilDate(charge.dueOn);
    if (due !== undefined && (oldest === undefined || due < oldest)) oldest = due;
  }
  return oldest === undefined || planned <= oldest ? undefined : planned - oldest;
}

/** An owner notice as the scheduler makes it: units listed (an action read from a file may carry anything). */
function isOwnerNotice(value: unknown): value is OwnerNotice {
  return typeof value === "object" && value !== null && Array.isArray((value as OwnerNotice).units) && (value as OwnerNotice).units.length > 0 && (value as OwnerNotice).units.every((u) => typeof u === "object" && u !== null);
}

function isOwnerKind(kind: string): kind is OwnerKind {
  return (OWNER_KINDS as readonly string[]).includes(kind);
}

/**
 * Single-pass interpolation: values are cleaned again and never re-scanned; lines with an absent
 * field are left out. A line that is only `{{name}}` of a name in `lists` becomes one line per
 * item (each cleaned like a value), none for an absent or empty list.
 */
export function interpolate(template: string, fields: Readonly<Record<string, string>>, lists: Readonly<Record<string, readonly string[]>> = {}): string {
  const out: string[] = [];
  for (const line of template.split("\n")) {
    const list = /^\{\{(\w+)\}\}$/.exec(line)?.[1];
    if (list !== undefined && Object.hasOwn(lists, list)) {
      for (const item of lists[list]!) if (sanitizeText(item) !== "") out.push(sanitizeText(item));
      continue;
    }
    let complete = true;
    const text = line.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
      if (value === undefined || value === "") {
        complete = false;
        return "";
      }
      return sanitizeText(value);
    });
    if (complete) out.push(text);
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

/**
 * Renders a planned action as the text its reader gets (zh-CN or en): a notice for the owner.
 * Never throws for bad data: a required fact that is absent is named in `missing`.
 *
 * @example
 * const scheduler = createScheduler(parsePolicy(builtinPolicySource("residential")));
 * const account = { id: "A-1201", unit: "3-1201", owner: { name: "张伟" }, charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }] };
 * const [notice] = scheduler.dueActions(account, "2026-03-25"); // S2: the dunning notice, on the door and by SMS
 * // The SMS goes to the owner alone: the amount, and 24 days overdue (art. 201: 03-01 not counted).
 * const sms = renderNotice(notice, { locale: "zh-CN", account, channel: "sms" });
 * [sms.fields.amount, sms.fields.daysOverdue, sms.fields.owner] // => ["320.00元", "24", "张伟"]
 * // The copy on the entry door is read by neighbours (PIPL art. 25, Civil Code art. 1033): no
 * // amount, the owner's name masked.
 * const posted = renderNotice(notice, { locale: "zh-CN", account, channel: "doorPosting" });
 * [posted.text.includes("320.00"), posted.fields.owner] // => [false, "张**"]
 */
export function renderNotice(action: PlannedAction, context: NoticeContext): NoticeResult {
  const kind = action.kind;
  if (action.audience === "staff" || !isOwnerKind(kind)) return { ok: false, missing: ["audience"] };
  const locale: Locale = context.locale === "en" ? "en" : "zh-CN";
  const d = DEFAULTS[locale];
  const informational = STAGE_KIND_TABLE[kind].informs;

  // PIPL art. 25 and Civil Code art. 1033: a notice posted on an entry door is read by neighbours,
  // and an owner's debts must not be disclosed to third parties. A door-posted copy therefore
  // shows no amount (it refers to the SMS sent to the owner alone) and masks the owner's name.
  const posted = context.channel !== undefined ? CHANNEL_TABLE[context.channel].public : (action.channels ?? []).some((c) => CHANNEL_TABLE[c].public);

  const fields: Record<string, string> = {};
  const set = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== "") fields[name] = value;
  };

  const owner = sanitizeText(context.account?.owner?.name, LIMITS.owner);
  set("unit", sanitizeText(context.account?.unit, LIMITS.unit));
  set("owner", posted ? maskName(owner) : owner);
  const estate = sanitizeText(context.estate?.name, LIMITS.estate) || d.estate;
  const phone = sanitizeText(context.estate?.phone, LIMITS.phone);
  set("estate", estate);
  set("phone", phone);
  set("contact", phone === "" ? estate : locale === "en" ? `${estate} (phone ${phone})` : `${estate}（电话：${phone}）`);

  // An owner's one notice for several units (`ownerNotice`): every unit's charges and the
  // totals; one line per unit with its own amounts. A door-posted copy names only its own unit.
  const notice = !posted && isOwnerNotice(action.ownerNotice) ? action.ownerNotice : undefined;
  const charges: readonly ActionCharge[] = notice
    ? notice.units.flatMap((u) => (Array.isArray(u.charges) ? u.charges : [])).sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0)) // oldest first, as one unit's
    : Array.isArray(action.charges)
      ? action.charges
      : [];
  if (notice) {
    const units = notice.units.map((u) => sanitizeText(u.unit ?? u.accountId, LIMITS.unit)).filter((u) => u !== "");
    if (units.length === notice.units.length) set("unit", units.join(d.listSep));
  }
  const periods = [...new Set(charges.map((c) => formatPeriod(c.period, locale)).filter((p) => p !== ""))];
  set("periods", periods.join(d.listSep));
  const dueDates = charges.map((c) => c.dueOn).filter((t) => parseCivilDate(t) !== undefined).sort();
  set("dueDate", formatDate(dueDates[0], locale));
  // Each unit's own pay-by day is on its line; when they differ, the notice's sentence points there.
  const unitDeadlines = new Set((notice?.units ?? []).flatMap((u) => (u.deadlineOn !== undefined ? [u.deadlineOn] : [])));
  if (unitDeadlines.size > 1) set("deadline", OWNER_UNIT_LINES[locale].eachUnitDeadline);
  else if (action.deadlineOn !== undefined) set("deadline", formatDate(action.deadlineOn, locale));
  const days = daysOverdue(action.plannedOn, charges);
  if (days !== undefined) set("daysOverdue", String(days));
  set("issuedOn", formatDate(action.plannedOn, locale));

  // Amounts: a bill states what is billed (unpaid, due or not); a demand states what is overdue;
  // an owner's notice states what every unit owes (its totals).
  const principal = notice ? notice.overdueMinor : informational ? action.unpaidMinor : action.overdueMinor;
  const lateFeeOf = (minor: number) => (Number.isSafeInteger(minor) && minor > 0 ? minor : 0);
  const lateFee = lateFeeOf(notice ? notice.lateFeeMinor : action.lateFeeMinor);
  // Actions made before they stated their minor digits were all in fen or cents.
  const digits = Number.isSafeInteger(action.minorDigits) && action.minorDigits >= 0 && action.minorDigits <= 4 ? action.minorDigits : 2;
  const amount = formatMoney(principal, action.currency, locale, digits);
  const total = Number.isSafeInteger(principal) ? formatMoney(principal + lateFee, action.currency, locale, digits) : undefined;
  if (posted) {
    if (amount !== undefined) {
      set("amount", POSTED_AMOUNT[locale]);
      set("total", POSTED_AMOUNT[locale]);
      set("postedNote", POSTED_NOTE[locale]);
    }
    // The late fee line is left out entirely: its presence alone would tell neighbours more.
  } else {
    set("amount", amount);
    set("total", total);
    if (lateFee > 0) set("lateFee", formatMoney(lateFee, action.currency, locale, digits));
  }
  set("amountLabel", informational ? d.amountLabel.informational : d.amountLabel.dunning);
  set("dueLabel", informational ? d.dueLabel.informational : d.dueLabel.dunning);

  const channels = (Array.isArray(context.estate?.paymentChannels) ? context.estate.paymentChannels : [])
    .slice(0, 8)
    .map((c) => sanitizeText(c, LIMITS.paymentChannel))
    .filter((c) => c !== "");
  set("paymentChannels", channels.length > 0 ? channels.join(d.listSep) : d.channels);

  if (action.window && typeof action.window.from === "string" && typeof action.window.to === "string")
    set("window", `${sanitizeText(action.window.from, 40)} – ${sanitizeText(action.window.to, 40)}`);
  const offers = (action.offers ?? []).map((o) => OFFER_TEXT[locale][o]).filter((o): o is string => o !== undefined);
  if (offers.length > 0) {
    set("offers", offers.join(locale === "en" ? " " : ""));
    set("careNote", d.care);
  }

  // One line per unit of an owner's notice, from the unit's own amounts (a line that cannot state them is named missing).
  const ownerUnits: string[] = [];
  if (notice) {
    for (const [i, u] of notice.units.entries()) {
      const unitFee = lateFeeOf(u.lateFeeMinor);
      const line = {
        unit: sanitizeText(u.unit ?? u.accountId, LIMITS.unit),
        amount: formatMoney(u.overdueMinor, action.currency, locale, digits) ?? "",
        lateFee: unitFee > 0 ? (formatMoney(unitFee, action.currency, locale, digits) ?? "") : "",
        total: Number.isSafeInteger(u.overdueMinor) ? (formatMoney(u.overdueMinor + unitFee, action.currency, locale, digits) ?? "") : "",
        // A pay-by day the unit's action states is printed, or the line cannot be made.
        deadline: u.deadlineOn === undefined ? "" : (formatDate(u.deadlineOn, locale) ?? ""),
      };
      if (line.unit === "" || line.amount === "" || line.total === "" || (u.deadlineOn !== undefined && line.deadline === "")) return { ok: false, missing: [`ownerNotice.units[${i}]`] };
      const lines = OWNER_UNIT_LINES[locale];
      ownerUnits.push(interpolate((unitFee > 0 ? lines.withLateFee : lines.withoutLateFee) + (line.deadline !== "" ? lines.deadline : ""), line));
    }
  }
  const missing = REQUIRED_FIELDS[kind].filter((name) => fields[name] === undefined);
  if (missing.length > 0) return { ok: false, missing };
  const text = interpolate(TEMPLATES[kind][locale], fields, { ownerUnits });
  return { ok: true, text, fields };
}
