/**
 * The vocabulary of collection: what an action is (its kind), a table with one row per word, and
 * (re-exported from channels.ts) how it reaches the owner. Everything the code knows about a kind
 * sits in its row, so adding one is one row here plus what the compiler then demands
 * (docs/architecture.md, "Recipes", lists those places). Code asks the row
 * (`STAGE_KIND_TABLE[k].terminal`), never compares names (`k === "writeOff"`). Names follow the
 * glossary in DOMAIN.md; the zh-CN labels are the glossary's words where it has one (a test keeps
 * them so).
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
   * A written notice that states the amounts (a bill, a reminder, a notice, a letter). Only these
   * may go out together as one notice to an owner of several units (`owners.oneNoticePerOwner`):
   * a call or a visit is a contact of its own, never "carried" in a paper (src/schedule/owners).
   */
  readonly writtenNotice: boolean;
  /**
   * A legal step: only after a written demand whose deadline has passed, and never where
   * neighbours can read it (PIPL art. 25, Civil Code art. 1033).
   */
  readonly legal: boolean;
  /** Its delivery is a written demand that restarts the limitation period (Civil Code art. 195). */
  readonly restartsLimitation: boolean;
  /** What people read, in Chinese (the glossary's word where it has one) and English. */
  readonly label: { readonly "zh-CN": string; readonly en: string };
  /** The timeline's fill colour: informational blue, pressing orange, demands red, legal purple to wine; any two kinds differ by ΔE2000 ≥ 10 (src/timeline/colours.test.ts). */
  readonly color: string;
  /**
   * The end of the road (issue 18): once carried out, the account is in this state and the ladder
   * says nothing more to the owner until a payment or a person reopens it
   * (src/schedule/ladder/terminal.ts). `null`: the ladder goes on.
   */
  readonly terminal: TerminalState | null;
  /** A person reviews and approves every action of this kind before it is carried out (`requiresReview` in the plan). */
  readonly needsReview: boolean;
  /**
   * Going to court or to arbitration. Civil Code art. 944: only after demanding payment in
   * writing with a reasonable deadline; validate refuses a policy that lists no written demand
   * before it, and the ladder waits for a delivered one whose deadline has passed (`legal`).
   * Filing also interrupts the limitation period (art. 195(3)): limitation.ts reads this column
   * for it (`LAWSUIT_STAGE_KINDS`), since `restartsLimitation` is about delivered written demands.
   */
  readonly court: boolean;
  /** Writes the debt off: once carried out, no stage at all (not even a staff review) for the charges overdue that day. */
  readonly writesOff: boolean;
  /** What the kind means, for docs and the JSON Schema. */
  readonly description: string;
}

/** Where an account stands after a terminal stage; `report` counts accounts by it. */
export type TerminalState = "collectionAgency" | "legalAction" | "writtenOff";

export const STAGE_KIND_TABLE = {
  staffFollowUp: {
    severity: 0,
    audience: "staff",
    informs: true,
    writtenDemand: false,
    writtenNotice: false,
    legal: false,
    restartsLimitation: false,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "内部跟进", en: "staff follow-up" },
    color: "#6b7280",
    description: "An internal follow-up task for staff (an overdue dispute, a review); nothing reaches the owner.",
  },
  billingNotice: {
    severity: 1,
    audience: "owner",
    informs: true,
    writtenDemand: false,
    writtenNotice: true,
    legal: false,
    restartsLimitation: false,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "收费通知书", en: "billing notice" },
    color: "#2563eb",
    description: "Billing notice (收费通知书): what is billed, for which period, by when.",
  },
  reminder: {
    severity: 2,
    audience: "owner",
    informs: true,
    writtenDemand: false,
    writtenNotice: true,
    legal: false,
    restartsLimitation: false,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "温馨提示", en: "reminder" },
    color: "#0891b2",
    description: "Friendly reminder (温馨提示) before or around the due date.",
  },
  phoneCall: {
    severity: 3,
    audience: "owner",
    informs: false,
    writtenDemand: false,
    writtenNotice: false,
    legal: false,
    restartsLimitation: false,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "电话", en: "phone call" },
    color: "#d97706",
    description: "A phone call by staff to remind or follow up.",
  },
  dunningNotice: {
    severity: 4,
    audience: "owner",
    informs: false,
    writtenDemand: false,
    writtenNotice: true,
    legal: false,
    restartsLimitation: false,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "催费通知书", en: "dunning notice" },
    color: "#ea580c",
    description: "Dunning notice (催费通知书): payment demand after the due date.",
  },
  homeVisit: {
    severity: 5,
    audience: "owner",
    informs: false,
    writtenDemand: false,
    writtenNotice: false,
    legal: false,
    restartsLimitation: false,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "上门拜访", en: "home visit" },
    color: "#ca8a04",
    description: "Home visit (上门拜访) by staff.",
  },
  formalLetter: {
    severity: 6,
    audience: "owner",
    informs: false,
    writtenDemand: true,
    writtenNotice: true,
    legal: false,
    restartsLimitation: true,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "正式催缴函", en: "formal letter" },
    color: "#e11d48",
    description: "Formal demand letter (正式催缴函), a written demand with a deadline.",
  },
  finalNotice: {
    severity: 7,
    audience: "owner",
    informs: false,
    writtenDemand: true,
    writtenNotice: true,
    legal: false,
    restartsLimitation: true,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "限期缴费通知书", en: "final notice" },
    color: "#b91c1c",
    description: "Final notice (限期缴费通知书): pay by a stated deadline.",
  },
  legalReview: {
    severity: 8,
    audience: "staff",
    informs: false,
    writtenDemand: false,
    writtenNotice: false,
    legal: true,
    restartsLimitation: false,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "法律审查", en: "legal review" },
    color: "#c026d3",
    description: "Internal legal review before any legal step; addressed to staff.",
  },
  lawyerLetter: {
    severity: 9,
    audience: "owner",
    informs: false,
    writtenDemand: false,
    writtenNotice: true,
    legal: true,
    restartsLimitation: true,
    terminal: null,
    needsReview: false,
    court: false,
    writesOff: false,
    label: { "zh-CN": "律师函", en: "lawyer's letter" },
    color: "#6d28d9",
    description: "Lawyer's letter (律师函); the last step before legal action.",
  },
  collectionAgency: {
    severity: 10,
    audience: "staff",
    informs: false,
    writtenDemand: false,
    writtenNotice: false,
    legal: false,
    restartsLimitation: false,
    terminal: "collectionAgency",
    needsReview: true,
    court: false,
    writesOff: false,
    label: { "zh-CN": "委托催收", en: "collection agency" },
    color: "#4c1d95",
    description: "Hand-over of the account to a collection agency (委托催收), decided by a person; the estate's own ladder stops.",
  },
  legalAction: {
    severity: 11,
    audience: "staff",
    informs: false,
    writtenDemand: false,
    writtenNotice: false,
    legal: true,
    restartsLimitation: false,
    terminal: "legalAction",
    needsReview: true,
    court: true,
    writesOff: false,
    label: { "zh-CN": "诉讼或仲裁", en: "lawsuit or arbitration" },
    color: "#831843",
    description: "Filing a lawsuit or applying for arbitration (诉讼 / 仲裁), decided by a person, only after a delivered written demand whose deadline has passed (Civil Code art. 944); the ladder stops.",
  },
  writeOff: {
    severity: 12,
    audience: "staff",
    informs: false,
    writtenDemand: false,
    writtenNotice: false,
    legal: false,
    restartsLimitation: false,
    terminal: "writtenOff",
    needsReview: true,
    court: false,
    writesOff: true,
    label: { "zh-CN": "核销", en: "write-off" },
    color: "#1f2937",
    description: "Write-off (核销) of the debt overdue that day, decided by a person: nothing more is done about those charges.",
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

/** Written notices stating the amounts (see `StageKindInfo.writtenNotice`): the only kinds one owner notice may carry for several units. */
export const WRITTEN_NOTICE_KINDS: ReadonlySet<StageKind> = kindsWhere((k) => k.writtenNotice);

/** Legal steps (see `StageKindInfo.legal`). */
export const LEGAL_KINDS: ReadonlySet<StageKind> = kindsWhere((k) => k.legal);

/** Terminal stages (see `StageKindInfo.terminal`): the end of the owner's ladder until reopened. */
export const TERMINAL_KINDS: ReadonlySet<StageKind> = kindsWhere((k) => k.terminal !== null);

export function isDunningClass(kind: StageKind): boolean {
  return !STAGE_KIND_TABLE[kind].informs;
}

export const KIND_DESCRIPTIONS: Readonly<Record<StageKind, string>> = Object.freeze(
  Object.fromEntries(STAGE_KINDS.map((k) => [k, STAGE_KIND_TABLE[k].description])) as Record<StageKind, string>,
);

// The channels: their own table (channels.ts), re-exported so that one import names the vocabulary.
export { CHANNEL_TABLE, CHANNELS, CHANNEL_DESCRIPTIONS, PUBLIC_CHANNELS, STAFF_CHANNELS, channelsWhere, type Channel, type ChannelInfo } from "./channels.js";
