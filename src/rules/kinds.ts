/**
 * The vocabulary of collection: what an action is (its kind) and how it reaches the owner (its
 * channels). Names follow the glossary in DOMAIN.md.
 *
 * There is deliberately no kind for cutting water, electricity, heating or gas, or for blocking
 * gates, lifts, entry or parking: Civil Code art. 944 and local regulations forbid them, so no
 * policy can express them.
 */

/** Stage kinds, in ascending severity. */
export const STAGE_KINDS = [
  "staffFollowUp",
  "billingNotice",
  "reminder",
  "phoneCall",
  "dunningNotice",
  "homeVisit",
  "formalLetter",
  "finalNotice",
  "legalReview",
  "lawyerLetter",
] as const;

export type StageKind = (typeof STAGE_KINDS)[number];

/** Higher is more severe; used to pick the one action of the day. */
export const KIND_SEVERITY: Readonly<Record<StageKind, number>> = Object.freeze(
  Object.fromEntries(STAGE_KINDS.map((kind, i) => [kind, i])) as Record<StageKind, number>,
);

/**
 * Kinds that only inform (a bill, a friendly reminder). Everything else is dunning-class: it
 * presses for payment, so it never falls on or before the due date and never follows payment.
 */
export const INFORMATIONAL_KINDS: ReadonlySet<StageKind> = new Set(["billingNotice", "reminder", "staffFollowUp"]);

/** Kinds addressed to staff, not to the owner (a person reviews before legal action). */
export const STAFF_KINDS: ReadonlySet<StageKind> = new Set(["staffFollowUp", "legalReview"]);

/** Written demands (催告) that carry a deadline; Civil Code art. 944 requires one before suing. */
export const DEADLINE_KINDS: ReadonlySet<StageKind> = new Set(["finalNotice", "formalLetter"]);

/**
 * Legal steps: only after a written demand whose deadline has passed, and never where neighbours
 * can read them (PIPL art. 25, Civil Code art. 1033).
 */
export const LEGAL_KINDS: ReadonlySet<StageKind> = new Set(["lawyerLetter", "legalReview"]);

export function isDunningClass(kind: StageKind): boolean {
  return !INFORMATIONAL_KINDS.has(kind);
}

export const CHANNELS = [
  "doorPosting",
  "handDelivery",
  "sms",
  "wechat",
  "appPush",
  "email",
  "phone",
  "homeVisit",
  "registeredMail",
  "courier",
  "expressMail",
  "staffQueue",
] as const;

export type Channel = (typeof CHANNELS)[number];

/**
 * Channels others can see: a door posting is read by neighbours. A seed practice (S2) for
 * notices, never for a legal step (see LEGAL_KINDS).
 */
export const PUBLIC_CHANNELS: ReadonlySet<Channel> = new Set(["doorPosting"]);

/** What each channel means, for docs and the JSON Schema. */
export const CHANNEL_DESCRIPTIONS: Readonly<Record<Channel, string>> = {
  doorPosting: "Posted on the unit's entry door (张贴于进户门); visible to neighbours.",
  handDelivery: "Hand-delivered against the recipient's signature (派发签收).",
  sms: "SMS, sent to each owner individually, never as a visible group message.",
  wechat: "WeChat message.",
  appPush: "Push notification in the estate's app.",
  email: "Email.",
  phone: "Phone call by staff.",
  homeVisit: "A staff visit to the unit (上门拜访).",
  registeredMail: "Registered mail (挂号信).",
  courier: "Courier delivery (快递).",
  expressMail: "Express mail, EMS (特快专递), with proof of delivery.",
  staffQueue: "An internal task in the staff work queue; nothing reaches the owner.",
};

export const KIND_DESCRIPTIONS: Readonly<Record<StageKind, string>> = {
  staffFollowUp: "An internal follow-up task for staff (an overdue dispute, a review); nothing reaches the owner.",
  billingNotice: "Billing notice (收费通知书): what is billed, for which period, by when.",
  reminder: "Friendly reminder (温馨提示) before or around the due date.",
  phoneCall: "A phone call by staff to remind or follow up.",
  dunningNotice: "Dunning notice (催费通知书): payment demand after the due date.",
  homeVisit: "Home visit (上门拜访) by staff.",
  formalLetter: "Formal demand letter (正式催缴函), a written demand with a deadline.",
  finalNotice: "Final notice (限期缴费通知书): pay by a stated deadline.",
  legalReview: "Internal legal review before any legal step; addressed to staff.",
  lawyerLetter: "Lawyer's letter (律师函); the last step before legal action.",
};
