/**
 * The vocabulary of collection: what an action is (its kind) and how it reaches the owner (its
 * channels), each a table with one row per word. Everything the code knows about a word sits in
 * its row, so adding a kind or a channel is one row here plus what the compiler then demands
 * (docs/architecture.md, "Recipes", lists those places). Code asks the row (`CHANNEL_TABLE[c].public`),
 * never compares names (`c === "doorPosting"`). Names follow the glossary in DOMAIN.md; the
 * zh-CN labels are the glossary's words where it has one (a test keeps them so).
 *
 * There is deliberately no kind for cutting water, electricity, heating or gas, or for blocking
 * gates, lifts, entry or parking: Civil Code art. 944 and local regulations forbid them, so no
 * policy can express them.
 */

/** What the code knows about one stage kind. */
export interface StageKindInfo {
  /** Higher is more severe; used to pick the one action of the day. Rows are in ascending severity. */
  readonly severity: number;
  /** Who reads it: the owner, or staff (a person reviews before legal action; nothing reaches the owner). */
  readonly audience: "owner" | "staff";
  /**
   * Only informs (a bill, a friendly reminder) rather than pressing for payment. Everything else
   * is dunning-class: it never falls on or before the due date and never follows payment.
   */
  readonly informs: boolean;
  /** A written demand (催告) that carries a deadline; Civil Code art. 944 requires one before suing. */
  readonly writtenDemand: boolean;
  /**
   * A legal step: only after a written demand whose deadline has passed, and never where
   * neighbours can read it (PIPL art. 25, Civil Code art. 1033).
   */
  readonly legal: boolean;
  /** Its delivery is a written demand that restarts the limitation period (Civil Code art. 195). */
  readonly restartsLimitation: boolean;
  /** What people read, in Chinese (the glossary's word where it has one) and English. */
  readonly label: { readonly "zh-CN": string; readonly en: string };
  /** The timeline's fill colour: informational blue, pressing orange, demands red, legal purple. */
  readonly color: string;
  /** What the kind means, for docs and the JSON Schema. */
  readonly description: string;
}

export const STAGE_KIND_TABLE = {
  staffFollowUp: {
    severity: 0,
    audience: "staff",
    informs: true,
    writtenDemand: false,
    legal: false,
    restartsLimitation: false,
    label: { "zh-CN": "内部跟进", en: "staff follow-up" },
    color: "#6b7280",
    description: "An internal follow-up task for staff (an overdue dispute, a review); nothing reaches the owner.",
  },
  billingNotice: {
    severity: 1,
    audience: "owner",
    informs: true,
    writtenDemand: false,
    legal: false,
    restartsLimitation: false,
    label: { "zh-CN": "收费通知书", en: "billing notice" },
    color: "#2563eb",
    description: "Billing notice (收费通知书): what is billed, for which period, by when.",
  },
  reminder: {
    severity: 2,
    audience: "owner",
    informs: true,
    writtenDemand: false,
    legal: false,
    restartsLimitation: false,
    label: { "zh-CN": "温馨提示", en: "reminder" },
    color: "#0891b2",
    description: "Friendly reminder (温馨提示) before or around the due date.",
  },
  phoneCall: {
    severity: 3,
    audience: "owner",
    informs: false,
    writtenDemand: false,
    legal: false,
    restartsLimitation: false,
    label: { "zh-CN": "电话", en: "phone call" },
    color: "#d97706",
    description: "A phone call by staff to remind or follow up.",
  },
  dunningNotice: {
    severity: 4,
    audience: "owner",
    informs: false,
    writtenDemand: false,
    legal: false,
    restartsLimitation: false,
    label: { "zh-CN": "催费通知书", en: "dunning notice" },
    color: "#ea580c",
    description: "Dunning notice (催费通知书): payment demand after the due date.",
  },
  homeVisit: {
    severity: 5,
    audience: "owner",
    informs: false,
    writtenDemand: false,
    legal: false,
    restartsLimitation: false,
    label: { "zh-CN": "上门拜访", en: "home visit" },
    color: "#ca8a04",
    description: "Home visit (上门拜访) by staff.",
  },
  formalLetter: {
    severity: 6,
    audience: "owner",
    informs: false,
    writtenDemand: true,
    legal: false,
    restartsLimitation: true,
    label: { "zh-CN": "正式催缴函", en: "formal letter" },
    color: "#dc2626",
    description: "Formal demand letter (正式催缴函), a written demand with a deadline.",
  },
  finalNotice: {
    severity: 7,
    audience: "owner",
    informs: false,
    writtenDemand: true,
    legal: false,
    restartsLimitation: true,
    label: { "zh-CN": "限期缴费通知书", en: "final notice" },
    color: "#b91c1c",
    description: "Final notice (限期缴费通知书): pay by a stated deadline.",
  },
  legalReview: {
    severity: 8,
    audience: "staff",
    informs: false,
    writtenDemand: false,
    legal: true,
    restartsLimitation: false,
    label: { "zh-CN": "法律审查", en: "legal review" },
    color: "#7c3aed",
    description: "Internal legal review before any legal step; addressed to staff.",
  },
  lawyerLetter: {
    severity: 9,
    audience: "owner",
    informs: false,
    writtenDemand: false,
    legal: true,
    restartsLimitation: true,
    label: { "zh-CN": "律师函", en: "lawyer's letter" },
    color: "#6d28d9",
    description: "Lawyer's letter (律师函); the last step before legal action.",
  },
} as const satisfies Record<string, StageKindInfo>;

export type StageKind = keyof typeof STAGE_KIND_TABLE;

/** Stage kinds, in ascending severity (the table's order). */
export const STAGE_KINDS = Object.keys(STAGE_KIND_TABLE) as readonly StageKind[] as readonly [StageKind, ...StageKind[]];

/** Kinds addressed to the owner, as a type (the rows whose audience is `owner`). */
export type OwnerKind = { [K in StageKind]: (typeof STAGE_KIND_TABLE)[K]["audience"] extends "owner" ? K : never }[StageKind];

function kindsWhere(test: (info: StageKindInfo) => boolean): ReadonlySet<StageKind> {
  return new Set(STAGE_KINDS.filter((k) => test(STAGE_KIND_TABLE[k])));
}

/** Higher is more severe; used to pick the one action of the day. */
export const KIND_SEVERITY: Readonly<Record<StageKind, number>> = Object.freeze(
  Object.fromEntries(STAGE_KINDS.map((kind) => [kind, STAGE_KIND_TABLE[kind].severity])) as Record<StageKind, number>,
);


/** Kinds addressed to staff, not to the owner. */
export const STAFF_KINDS: ReadonlySet<StageKind> = kindsWhere((k) => k.audience === "staff");

/** Written demands (催告) that carry a deadline. */
export const DEADLINE_KINDS: ReadonlySet<StageKind> = kindsWhere((k) => k.writtenDemand);

/** Legal steps (see `StageKindInfo.legal`). */
export const LEGAL_KINDS: ReadonlySet<StageKind> = kindsWhere((k) => k.legal);

export function isDunningClass(kind: StageKind): boolean {
  return !STAGE_KIND_TABLE[kind].informs;
}

export const KIND_DESCRIPTIONS: Readonly<Record<StageKind, string>> = Object.freeze(
  Object.fromEntries(STAGE_KINDS.map((k) => [k, STAGE_KIND_TABLE[k].description])) as Record<StageKind, string>,
);

/** What the code knows about one channel. */
export interface ChannelInfo {
  /** Others can see it: a door posting is read by neighbours. A seed practice (S2) for notices, never for a legal step. */
  readonly public: boolean;
  /**
   * How hard it presses on the owner: public exposure (a door posting neighbours read) is
   * harshest, then formal delivery against signature or by post, then a person at the door or on
   * the phone, then a private message. A protection may only replace a channel by one no harsher.
   */
  readonly harshness: number;
  /**
   * It reaches the owner (or the owner's door) at the moment it is used, and so is bound by the
   * widest contact hours. Mail and courier are delivered at the carrier's time; the staff queue
   * never reaches the owner.
   */
  readonly hoursBounded: boolean;
  /** Frequency caps count it (caps on `any` too); the staff queue never reaches the owner, so it is never counted. */
  readonly countedByCaps: boolean;
  /**
   * A voice or in-person contact: a conversation on it starts a quiet period, and the quiet
   * period holds it back (US Regulation F §1006.14(b)(2)(i)(B) counts telephone calls; a visit
   * presses harder than a call). Written notices keep their legal timing and are not held back.
   */
  readonly conversation: boolean;
  /** What a use of it is, for messages about contact hours ("calls may reach an owner only …"). */
  readonly contact: "call" | "visit" | "message" | "mail" | "task";
  /** What the channel means, for docs and the JSON Schema. */
  readonly description: string;
}

export const CHANNEL_TABLE = {
  doorPosting: {
    public: true,
    harshness: 4,
    hoursBounded: true,
    countedByCaps: true,
    conversation: false,
    contact: "visit",
    description: "Posted on the unit's entry door (张贴于进户门); visible to neighbours.",
  },
  handDelivery: {
    public: false,
    harshness: 3,
    hoursBounded: true,
    countedByCaps: true,
    conversation: false,
    contact: "visit",
    description: "Hand-delivered against the recipient's signature (派发签收).",
  },
  sms: {
    public: false,
    harshness: 1,
    hoursBounded: true,
    countedByCaps: true,
    conversation: false,
    contact: "message",
    description: "SMS, sent to each owner individually, never as a visible group message.",
  },
  wechat: {
    public: false,
    harshness: 1,
    hoursBounded: true,
    countedByCaps: true,
    conversation: false,
    contact: "message",
    description: "WeChat message.",
  },
  appPush: {
    public: false,
    harshness: 1,
    hoursBounded: true,
    countedByCaps: true,
    conversation: false,
    contact: "message",
    description: "Push notification in the estate's app.",
  },
  email: {
    public: false,
    harshness: 1,
    hoursBounded: true,
    countedByCaps: true,
    conversation: false,
    contact: "message",
    description: "Email.",
  },
  phone: {
    public: false,
    harshness: 2,
    hoursBounded: true,
    countedByCaps: true,
    conversation: true,
    contact: "call",
    description: "Phone call by staff.",
  },
  homeVisit: {
    public: false,
    harshness: 2,
    hoursBounded: true,
    countedByCaps: true,
    conversation: true,
    contact: "visit",
    description: "A staff visit to the unit (上门拜访).",
  },
  registeredMail: {
    public: false,
    harshness: 3,
    hoursBounded: false,
    countedByCaps: true,
    conversation: false,
    contact: "mail",
    description: "Registered mail (挂号信).",
  },
  courier: {
    public: false,
    harshness: 3,
    hoursBounded: false,
    countedByCaps: true,
    conversation: false,
    contact: "mail",
    description: "Courier delivery (快递).",
  },
  expressMail: {
    public: false,
    harshness: 3,
    hoursBounded: false,
    countedByCaps: true,
    conversation: false,
    contact: "mail",
    description: "Express mail, EMS (特快专递), with proof of delivery.",
  },
  staffQueue: {
    public: false,
    harshness: 0,
    hoursBounded: false,
    countedByCaps: false,
    conversation: false,
    contact: "task",
    description: "An internal task in the staff work queue; nothing reaches the owner.",
  },
} as const satisfies Record<string, ChannelInfo>;

export type Channel = keyof typeof CHANNEL_TABLE;

/** Every channel, in the table's order (the JSON Schema, the SQL ledgers' checks and docs list them so). */
export const CHANNELS = Object.keys(CHANNEL_TABLE) as readonly Channel[] as readonly [Channel, ...Channel[]];

/** The channels whose row passes `test`, in the table's order. */
export function channelsWhere(test: (info: ChannelInfo) => boolean): ReadonlySet<Channel> {
  return new Set(CHANNELS.filter((c) => test(CHANNEL_TABLE[c])));
}

/** Channels others can see (see `ChannelInfo.public`); never for a legal step (see LEGAL_KINDS). */
export const PUBLIC_CHANNELS: ReadonlySet<Channel> = channelsWhere((c) => c.public);

export const CHANNEL_DESCRIPTIONS: Readonly<Record<Channel, string>> = Object.freeze(
  Object.fromEntries(CHANNELS.map((c) => [c, CHANNEL_TABLE[c].description])) as Record<Channel, string>,
);
