/**
 * Contact rules a policy holds: for each channel the hours in which it may be used and whether it
 * is used on working days only; frequency caps over rolling windows; a quiet period after a
 * conversation; and the estate's working-day calendar.
 *
 * The widest hours any policy may give a channel that reaches a person at the moment it is used
 * (a call, a visit, a message) are 08:00–21:00 local time: the US FDCPA §805(a)(1) presumes
 * 08:00–21:00 convenient, and Chinese banking guidance allows 08:00–22:00, so 21:00 is the limit
 * that satisfies both. The built-ins are narrower (09:00–20:00). A policy that omits a channel's
 * hours inherits the built-in ones, so no default ever allows a call outside the limit.
 */
import { z } from "zod";
import type { Issue } from "./errors.js";
import { CHANNELS, CHANNEL_DESCRIPTIONS, CHANNEL_TABLE, channelsWhere, type Channel, type ChannelInfo } from "./kinds.js";

/** The widest contact hours, for channels in `HOURS_BOUNDED_CHANNELS`. */
export const WIDEST_CONTACT_HOURS = Object.freeze({ from: "08:00", to: "21:00" } as const);

/** Channels bound by `WIDEST_CONTACT_HOURS`: those whose row says `hoursBounded` (see `ChannelInfo`). */
export const HOURS_BOUNDED_CHANNELS: ReadonlySet<Channel> = channelsWhere((c) => c.hoursBounded);

/** Channels a quiet period after a conversation applies to: those whose row says `conversation` (see `ChannelInfo`). */
export const CONVERSATION_QUIET_CHANNELS: ReadonlySet<Channel> = channelsWhere((c) => c.conversation);

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes after midnight of `HH:MM` (`24:00` is 1440). */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export const ContactHoursSchema = z
  .strictObject({
    from: z.string().regex(HHMM, { error: "must be a 24-hour time HH:MM, 00:00–23:59" }).describe("Local time the window opens, HH:MM (24-hour), in the estate's time zone."),
    to: z
      .string()
      .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: "must be a 24-hour time HH:MM, or 24:00 for the end of the day" })
      .describe("Local time the window closes, HH:MM, exclusive; 24:00 is the end of the day."),
  })
  .refine((h) => !HHMM.test(h.from) || minutesOfDay(h.from) < minutesOfDay(h.to), { error: "must close after it opens (no overnight windows)", path: ["to"] })
  .describe("Hours of a day, in the estate's time zone, in which a channel may be used.");
export type ContactHours = z.infer<typeof ContactHoursSchema>;

export const ChannelContactRuleSchema = z
  .strictObject({
    hours: ContactHoursSchema.optional().describe("When in the day the channel may be used; omitted: the built-in hours of the channel."),
    workingDaysOnly: z
      .boolean()
      .optional()
      .describe("Used on working days only (weekends and public holidays excepted, 调休 make-up days included); an action due on another day moves to the next working day."),
  })
  .describe("When one channel may be used.");
export type ChannelContactRule = z.infer<typeof ChannelContactRuleSchema>;

const channelRulesShape = Object.fromEntries(
  CHANNELS.map((c) => [c, ChannelContactRuleSchema.optional().describe(`Rules for \`${c}\`: ${CHANNEL_DESCRIPTIONS[c]}`)]),
) as { [K in Channel]: z.ZodOptional<typeof ChannelContactRuleSchema> };

export const ChannelRulesSchema = z
  .strictObject(channelRulesShape)
  .superRefine((rules, ctx) => {
    for (const channel of CHANNELS) {
      const hours = rules[channel]?.hours;
      if (!hours || !HOURS_BOUNDED_CHANNELS.has(channel) || !HHMM.test(hours.from)) continue;
      if (minutesOfDay(hours.from) < minutesOfDay(WIDEST_CONTACT_HOURS.from) || minutesOfDay(hours.to) > minutesOfDay(WIDEST_CONTACT_HOURS.to)) {
        ctx.addIssue({ code: "custom", path: [channel, "hours"], message: widerMessage(channel, hours) });
      }
    }
  })
  .describe("Per channel: the hours and day rules; a channel not named keeps its built-in rules.");

const CONTACT_PLURAL = { call: "calls", visit: "visits", message: "messages", mail: "deliveries", task: "tasks" } as const satisfies Record<ChannelInfo["contact"], string>;

function widerMessage(channel: Channel, hours: ContactHours): string {
  const what = CONTACT_PLURAL[CHANNEL_TABLE[channel].contact];
  return (
    `${channel} hours ${hours.from}–${hours.to} are wider than ${WIDEST_CONTACT_HOURS.from}–${WIDEST_CONTACT_HOURS.to}: ` +
    `${what} may reach an owner only between 08:00 and 21:00 local time (US FDCPA §805(a)(1) safe default; ` +
    `Chinese banking guidance allows 08:00–22:00, so 21:00 is the safe limit)`
  );
}

export const FrequencyCapSchema = z
  .strictObject({
    channel: z.enum([...CHANNELS, "any"]).describe("The channel counted, or `any` for every contact that reaches the owner (the staff queue is never counted)."),
    max: z.int().min(1, { error: "must be at least 1" }).max(1000).describe("At most this many contacts in any window of `withinDays` consecutive days."),
    withinDays: z.int().min(1, { error: "must be at least 1" }).max(366).describe("Length of the rolling window in days (Regulation F: 7 calls within 7 days)."),
  })
  .describe("A frequency cap over a rolling window of consecutive days.");
export type FrequencyCap = z.infer<typeof FrequencyCapSchema>;

export const ContactRulesSchema = z
  .strictObject({
    channels: ChannelRulesSchema.optional(),
    caps: z
      .array(FrequencyCapSchema)
      .optional()
      .describe("Frequency caps; every cap must hold. Omitted: the built-in caps (7 calls in 7 days, Regulation F; 1 home visit in 7 days)."),
    quietDaysAfterConversation: z
      .int()
      .min(0)
      .max(60)
      .optional()
      .describe("No call or visit for this many days after a conversation with the owner, the conversation day counted as the first (Regulation F: 7). Omitted: 7."),
  })
  .describe("When and how often the owner may be contacted.");
export type ContactRules = z.infer<typeof ContactRulesSchema>;

// A real calendar date: "2026-02-30" has the shape but is no day, and the calendar would misplace it.
// zod's ISO date knows month lengths and leap years, and so does the JSON Schema pattern it exports.
const civilDateText = z.iso.date({ error: "must be a real date YYYY-MM-DD" });

/** The policy's calendar section; `createWorkingCalendar` takes the same shape. */
export const CalendarRulesSchema = z
  .strictObject({
    holidays: z.enum(["CN", "none"]).describe("`CN`: Chinese public holidays and make-up working days (调休) from the State Council notices; `none`: weekends only."),
    closures: z.array(civilDateText).optional().describe("The estate's own closure dates: no working-day action is due, and an owner's deadline moves past them."),
    extraWorkingDays: z.array(civilDateText).optional().describe("Dates the estate works although they are weekends or holidays (an owner's deadline still moves past a public holiday)."),
  })
  .describe("Working days: weekends, public holidays, the estate's closures.");
export type CalendarRules = z.infer<typeof CalendarRulesSchema>;

/**
 * The days a calendar both closes and works: a day is either, never both. One issue each
 * (`calendar_conflict`, at `extraWorkingDays[i]`): `validate` reports them in a policy, and
 * `createWorkingCalendar` refuses a calendar that has one. The dates are `YYYY-MM-DD`, checked
 * before, so equal days are equal texts.
 */
export function calendarConflicts(calendar: { readonly closures?: readonly string[]; readonly extraWorkingDays?: readonly string[] }): Issue[] {
  const closed = new Set(calendar.closures ?? []);
  return (calendar.extraWorkingDays ?? []).flatMap((day, i) =>
    closed.has(day) ? [{ code: "calendar_conflict", path: `extraWorkingDays[${i}]`, message: `${day} is both a closure and an extra working day: a day is either closed or worked, say which` }] : [],
  );
}

const nineToEight = { from: "09:00", to: "20:00" } as const;

/**
 * The built-in contact rules, narrower than the law allows:
 * - calls, visits, hand delivery and messages 09:00–20:00: an hour inside the 08:00–21:00 limit
 *   at both ends, so a late queue never reaches the limit;
 * - door postings 09:00–18:00 on working days: a posting is a written demand (催告) whose date
 *   starts the owner's deadline; posted on a working day the owner can pay or dispute at an open
 *   office the same day, and a notice is not left on the door, seen by neighbours, through a
 *   holiday week while the owner is away;
 * - hand delivery and home visits on working days: they need staff on duty and a signature, and a
 *   visit on a public holiday intrudes;
 * - registered mail, courier and express mail on working days: proof of delivery, and a letter is
 *   not left waiting unread through a holiday while its deadline runs;
 * - calls and messages on any day, within the hours: owners who work on weekdays are reachable at
 *   weekends;
 * - at most 7 calls in 7 days and none for 7 days after a conversation (Regulation F), at most one
 *   home visit in 7 days (a visit is the most intrusive contact).
 */
export const BUILTIN_CONTACT = {
  channels: {
    phone: { hours: nineToEight, workingDaysOnly: false },
    homeVisit: { hours: nineToEight, workingDaysOnly: true },
    handDelivery: { hours: nineToEight, workingDaysOnly: true },
    doorPosting: { hours: { from: "09:00", to: "18:00" }, workingDaysOnly: true },
    sms: { hours: nineToEight, workingDaysOnly: false },
    wechat: { hours: nineToEight, workingDaysOnly: false },
    appPush: { hours: nineToEight, workingDaysOnly: false },
    email: { hours: nineToEight, workingDaysOnly: false },
    registeredMail: { workingDaysOnly: true },
    courier: { workingDaysOnly: true },
    expressMail: { workingDaysOnly: true },
    staffQueue: { workingDaysOnly: false },
  },
  caps: [
    { channel: "phone", max: 7, withinDays: 7 },
    { channel: "homeVisit", max: 1, withinDays: 7 },
  ],
  quietDaysAfterConversation: 7,
} as const satisfies {
  readonly channels: Readonly<Record<Channel, ChannelContactRule>>;
  readonly caps: readonly FrequencyCap[];
  readonly quietDaysAfterConversation: number;
};

/** A channel's rule with every field decided. */
export interface ResolvedChannelRule {
  readonly channel: Channel;
  /** Absent: any time of the day. */
  readonly hours?: ContactHours;
  readonly workingDaysOnly: boolean;
}

function clampHours(channel: Channel, hours: ContactHours | undefined): ContactHours | undefined {
  if (!hours || !HOURS_BOUNDED_CHANNELS.has(channel)) return hours;
  // Defence in depth: the schema rejects wider hours, but a rule built in code skips the schema.
  const from = minutesOfDay(hours.from) < minutesOfDay(WIDEST_CONTACT_HOURS.from) ? WIDEST_CONTACT_HOURS.from : hours.from;
  const to = minutesOfDay(hours.to) > minutesOfDay(WIDEST_CONTACT_HOURS.to) ? WIDEST_CONTACT_HOURS.to : hours.to;
  return { from, to };
}

/**
 * The rule that applies to `channel`: the policy's fields over the built-in ones, hours of
 * bounded channels clamped to 08:00–21:00.
 *
 * @example
 * resolveChannelRule("phone")                                                          // { channel: "phone", hours: { from: "09:00", to: "20:00" }, workingDaysOnly: false }
 * resolveChannelRule("phone", { channels: { phone: { hours: { from: "08:00", to: "21:00" } } } }).hours // { from: "08:00", to: "21:00" }
 */
export function resolveChannelRule(channel: Channel, rules?: ContactRules): ResolvedChannelRule {
  const builtin: ChannelContactRule = BUILTIN_CONTACT.channels[channel];
  const own = rules?.channels?.[channel];
  const hours = clampHours(channel, own?.hours ?? builtin.hours);
  const workingDaysOnly = own?.workingDaysOnly ?? builtin.workingDaysOnly ?? false;
  return hours ? { channel, hours, workingDaysOnly } : { channel, workingDaysOnly };
}

/** Caps and quiet period with defaults applied, as `checkFrequency` takes them. */
export interface FrequencyRules {
  readonly caps: readonly FrequencyCap[];
  readonly quietDaysAfterConversation: number;
}

/**
 * The frequency rules of a policy: its caps, or the built-in ones when it states none; its quiet
 * period, or 7 days.
 *
 * @example resolveFrequencyRules().caps[0] // { channel: "phone", max: 7, withinDays: 7 }
 */
export function resolveFrequencyRules(rules?: ContactRules): FrequencyRules {
  return {
    caps: rules?.caps ?? BUILTIN_CONTACT.caps,
    quietDaysAfterConversation: rules?.quietDaysAfterConversation ?? BUILTIN_CONTACT.quietDaysAfterConversation,
  };
}
