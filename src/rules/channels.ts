/**
 * The channels a policy may name (how an action reaches the owner): a table with one row per
 * channel. Everything the code knows about a channel sits in its row, so adding one is one row
 * here plus what the compiler then demands (docs/architecture.md, "Adding a channel"). Code asks
 * the row (`CHANNEL_TABLE[c].public`), never compares names (`c === "doorPosting"`). Split from
 * kinds.ts (the stage kinds), which re-exports it, so that each vocabulary reads at once.
 */

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

/**
 * Channels that never reach the owner (a task in the staff queue): the only ones for a stage
 * addressed to staff (see `StageKindInfo.audience`; validate refuses others: `staff_channel`).
 */
export const STAFF_CHANNELS: ReadonlySet<Channel> = channelsWhere((c) => c.contact === "task");

export const CHANNEL_DESCRIPTIONS: Readonly<Record<Channel, string>> = Object.freeze(
  Object.fromEntries(CHANNELS.map((c) => [c, CHANNEL_TABLE[c].description])) as Record<Channel, string>,
);
