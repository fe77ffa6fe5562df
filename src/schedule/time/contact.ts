/**
 * When an action may reach the owner: the window of the day in which a channel may be used (two
 * instants with the zone's offset), the day a working-days-only action moves to, and whether a
 * contact keeps within the frequency caps.
 *
 * Time zones: offsets come from luxon's IANA zone data, asked at most a few times per (zone, day)
 * and cached; the common case (no offset change that day) then formats the window with integer
 * arithmetic. On a DST day the boundaries are exact: a time that does not exist (spring forward)
 * maps to the instant of the change, and a time that exists twice (fall back) opens the window at
 * its later occurrence and closes it at the earliest fitting one, so that no instant of the window
 * has a local time outside the hours.
 */
import { remembered } from "../memo.js";
import { IANAZone } from "luxon";
import { CONVERSATION_QUIET_CHANNELS, minutesOfDay, type ContactHours, type FrequencyCap, type FrequencyRules } from "../../rules/contact.js";
import { CHANNEL_TABLE, type Channel } from "../../rules/kinds.js";
import { civilDate, formatCivilDate, type EpochDay } from "./civil-date.js";
import { InvalidArgumentError } from "../../rules/errors.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A window of one day, as ISO 8601 instants with the zone's offset: `from` inclusive, `to` exclusive. */
export interface ContactWindow {
  readonly from: string;
  readonly to: string;
}

interface DayOffsets {
  /** Offset (minutes) before any change that day, and after it. */
  readonly before: number;
  readonly after: number;
  /** Epoch ms of the change, when `before !== after`. */
  readonly change: number;
}

interface ZoneEntry {
  readonly zone: IANAZone;
  readonly days: Map<EpochDay, DayOffsets>;
}

const zones = new Map<string, ZoneEntry>();
const MAX_CACHED_DAYS = 4096;

function zoneEntry(name: string): ZoneEntry {
  let entry = zones.get(name);
  if (!entry) {
    const zone = IANAZone.create(name);
    if (!zone.isValid) throw new InvalidArgumentError("invalid_time_zone", "", `not an IANA time zone: ${JSON.stringify(name)}`);
    entry = { zone, days: new Map() };
    zones.set(name, entry);
  }
  return entry;
}

function dayOffsets(entry: ZoneEntry, day: EpochDay): DayOffsets {
  return remembered(entry.days, day, MAX_CACHED_DAYS, (d) => offsetsOn(entry, d));
}

/** The offsets before and after `day` in the zone, and the millisecond the offset changes (if it does). */
function offsetsOn(entry: ZoneEntry, day: EpochDay): DayOffsets {
  // Probes before local 00:00 and after local 24:00 of the day for any offset in [-12h, +14h].
  let lo = day * DAY - 14 * HOUR;
  let hi = day * DAY + 36 * HOUR;
  const before = entry.zone.offset(lo);
  const after = entry.zone.offset(hi);
  if (before !== after) {
    // Binary search for the first millisecond with the new offset (one change per span assumed).
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (entry.zone.offset(mid) === before) lo = mid;
      else hi = mid;
    }
  }
  return { before, after, change: hi };
}

interface Instant {
  readonly ms: number;
  /** Offset in minutes in force at `ms`. */
  readonly offset: number;
}

/** The instant a local time takes; `prefer` picks between two occurrences when the clock goes back. */
function instantOf(localMs: number, o: DayOffsets, prefer: "earliest" | "latest"): Instant {
  if (o.before === o.after) return { ms: localMs - o.before * MINUTE, offset: o.before };
  const early = localMs - o.before * MINUTE;
  const late = localMs - o.after * MINUTE;
  const earlyValid = early < o.change;
  const lateValid = late >= o.change;
  if (earlyValid && lateValid) return prefer === "earliest" ? { ms: early, offset: o.before } : { ms: late, offset: o.after };
  if (earlyValid) return { ms: early, offset: o.before };
  if (lateValid) return { ms: late, offset: o.after };
  return { ms: o.change, offset: o.after }; // skipped by the clock: the change itself
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** ISO 8601 with seconds and offset, e.g. `2026-04-08T09:00:00+08:00`; integer arithmetic only. */
export function formatInstant(ms: number, offsetMinutes: number): string {
  const local = ms + offsetMinutes * MINUTE;
  const day = Math.floor(local / DAY);
  const t = Math.floor((local - day * DAY) / 1000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${formatCivilDate(day)}T${pad2(Math.floor(t / 3600))}:${pad2(Math.floor(t / 60) % 60)}:${pad2(t % 60)}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

const WHOLE_DAY: ContactHours = { from: "00:00", to: "24:00" };

/**
 * The window of `date` (`YYYY-MM-DD` in `zone`) in which a channel with `rule` may be used, as
 * two instants with their offsets. A rule without hours gives the whole day. Throws an
 * `InvalidArgumentError` for an unknown zone (`invalid_time_zone`) or a date that is not
 * `YYYY-MM-DD` (`invalid_date`).
 *
 * @example
 * // The built-in hours for calls, 09:00–20:00, in China (UTC+8 all year).
 * contactWindow("2026-04-08", { hours: { from: "09:00", to: "20:00" } }, "Asia/Shanghai") // => { from: "2026-04-08T09:00:00+08:00", to: "2026-04-08T20:00:00+08:00" }
 * // New York springs forward at 02:00 on 2026-03-08 (second Sunday of March): the day has 23 hours.
 * contactWindow("2026-03-08", undefined, "America/New_York") // => { from: "2026-03-08T00:00:00-05:00", to: "2026-03-09T00:00:00-04:00" }
 */
export function contactWindow(date: string, rule: { readonly hours?: ContactHours } | undefined, zone: string): ContactWindow {
  return windowOf(civilDate(date), rule?.hours ?? WHOLE_DAY, zone);
}

function windowOf(day: EpochDay, hours: ContactHours, zone: string): ContactWindow {
  const entry = zoneEntry(zone);
  const fromLocal = day * DAY + minutesOfDay(hours.from) * MINUTE;
  const toLocal = day * DAY + minutesOfDay(hours.to) * MINUTE;
  const offsets = dayOffsets(entry, day);
  const start = instantOf(fromLocal, offsets, "latest");
  let end = instantOf(toLocal, offsets, "earliest");
  if (end.ms < start.ms) end = instantOf(toLocal, offsets, "latest");
  if (end.ms < start.ms) end = start;
  return { from: formatInstant(start.ms, start.offset), to: formatInstant(end.ms, end.offset) };
}

/**
 * The window in which every one of an action's channels may be used (the intersection of their
 * hours), or `undefined` when the hours do not overlap.
 *
 * @example
 * actionWindow(civilDate("2026-04-08"), [{ hours: { from: "09:00", to: "18:00" } }, { hours: { from: "09:00", to: "20:00" } }], "Asia/Shanghai")
 * // { from: "2026-04-08T09:00:00+08:00", to: "2026-04-08T18:00:00+08:00" }
 */
export function actionWindow(day: EpochDay, rules: readonly { readonly hours?: ContactHours }[], zone: string): ContactWindow | undefined {
  let from = WHOLE_DAY.from;
  let to = WHOLE_DAY.to;
  for (const { hours } of rules) {
    if (!hours) continue;
    if (minutesOfDay(hours.from) > minutesOfDay(from)) from = hours.from;
    if (minutesOfDay(hours.to) < minutesOfDay(to)) to = hours.to;
  }
  return minutesOfDay(from) < minutesOfDay(to) ? windowOf(day, { from, to }, zone) : undefined;
}

/**
 * The day an action due on `day` is carried out: the next working day when any of its channels is
 * used on working days only, else `day` itself.
 *
 * @example
 * const cal = createWorkingCalendar({ holidays: "CN" });
 * formatCivilDate(shiftToWorkingDay(civilDate("2026-10-03"), [{ workingDaysOnly: true }, { workingDaysOnly: false }], cal)) // "2026-10-08"
 * formatCivilDate(shiftToWorkingDay(civilDate("2026-10-03"), [{ workingDaysOnly: false }], cal))                           // "2026-10-03"
 */
export function shiftToWorkingDay(
  day: EpochDay,
  rules: readonly { readonly workingDaysOnly?: boolean }[],
  calendar: { nextWorkingDay(day: EpochDay): EpochDay },
): EpochDay {
  return rules.some((r) => r.workingDaysOnly === true) ? calendar.nextWorkingDay(day) : day;
}

/** A contact already made (or planned) with the owner. */
export interface ContactRecord {
  readonly day: EpochDay;
  readonly channel: Channel;
  /** The owner was actually spoken to (a call answered, a visit met); starts the quiet period. */
  readonly conversation?: boolean;
  /** Made with the owner's prior consent (e.g. the agreed promise-to-pay follow-up); not counted (Regulation F §1006.14(b)(3)(i)). */
  readonly consented?: boolean;
}

export interface FrequencyCheck {
  readonly allowed: boolean;
  /** Why not, for people. */
  readonly reason?: string;
  /** The first later day on which the same contact would be allowed, given the same history. */
  readonly nextAllowedDay?: EpochDay;
  /** The cap that blocks, or `"quiet"` for the period after a conversation. */
  readonly rule?: FrequencyCap | "quiet";
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Most contacts in any window of `w` consecutive days that contains `d`. */
function busiestWindow(sorted: readonly number[], d: EpochDay, w: number): { count: number; start: EpochDay } {
  const counts = new Array<number>(2 * w - 1).fill(0);
  for (let i = lowerBound(sorted, d - w + 1); i < sorted.length && (sorted[i] as number) <= d + w - 1; i++) {
    const k = (sorted[i] as number) - (d - w + 1);
    counts[k] = (counts[k] as number) + 1;
  }
  let sum = 0;
  for (let k = 0; k < w; k++) sum += counts[k] as number;
  let best = { count: sum, start: d - w + 1 };
  for (let s = 1; s < w; s++) {
    sum += (counts[s + w - 1] as number) - (counts[s - 1] as number);
    if (sum > best.count) best = { count: sum, start: d - w + 1 + s };
  }
  return best;
}

/**
 * Whether any cap or quiet period can refuse a contact on `channel`: when none can (the common
 * case: no cap names the channel), the contact history need not be read at all.
 */
export function frequencyLimits(rules: FrequencyRules, channel: Channel, consented: boolean): boolean {
  if (!CHANNEL_TABLE[channel].countedByCaps || consented) return false;
  if (CONVERSATION_QUIET_CHANNELS.has(channel) && rules.quietDaysAfterConversation > 0) return true;
  return rules.caps.some((cap) => cap.channel === "any" || cap.channel === channel);
}

/**
 * Whether one more contact on `channel` on `candidateDay` keeps every cap in every rolling
 * window that contains that day (history may hold later, planned contacts too) and keeps out of
 * the quiet period after a conversation (calls and visits only; the conversation day is the first
 * quiet day). Staff-queue tasks and consented contacts are never limited.
 *
 * @example
 * const rules = { caps: [{ channel: "phone", max: 7, withinDays: 7 }], quietDaysAfterConversation: 7 };
 * const talk = [{ day: civilDate("2026-04-01"), channel: "phone", conversation: true }];
 * const r = checkFrequency(talk, rules, civilDate("2026-04-07"), "phone");
 * r.allowed                          // false
 * r.reason                           // "phone: within 7 days after a conversation on 2026-04-01 (quiet until 2026-04-07)"
 * formatCivilDate(r.nextAllowedDay!) // "2026-04-08"
 * checkFrequency(talk, rules, civilDate("2026-04-08"), "phone") // { allowed: true }
 */
export function checkFrequency(
  history: readonly ContactRecord[],
  rules: FrequencyRules,
  candidateDay: EpochDay,
  channel: Channel,
  options: { readonly consented?: boolean } = {},
): FrequencyCheck {
  if (!frequencyLimits(rules, channel, options.consented === true)) return { allowed: true };
  const counted = history.filter((r) => CHANNEL_TABLE[r.channel].countedByCaps && !r.consented);
  const caps = rules.caps
    .filter((cap) => cap.channel === "any" || cap.channel === channel)
    .map((cap) => ({ cap, days: counted.filter((r) => cap.channel === "any" || r.channel === cap.channel).map((r) => r.day).sort((a, b) => a - b) }));
  const quiet = CONVERSATION_QUIET_CHANNELS.has(channel) ? rules.quietDaysAfterConversation : 0;
  const talks = quiet > 0 ? history.filter((r) => r.conversation).map((r) => r.day) : [];

  const blockAt = (d: EpochDay): Omit<FrequencyCheck, "allowed" | "nextAllowedDay"> | undefined => {
    const talk = talks.filter((c) => c <= d && d <= c + quiet - 1);
    if (talk.length > 0) {
      const last = Math.max(...talk);
      return { rule: "quiet", reason: `${channel}: within ${quiet} days after a conversation on ${formatCivilDate(last)} (quiet until ${formatCivilDate(last + quiet - 1)})` };
    }
    for (const { cap, days } of caps) {
      const busiest = busiestWindow(days, d, cap.withinDays);
      if (busiest.count + 1 > cap.max) {
        const what = cap.channel === "any" ? "contacts" : `${cap.channel} contacts`;
        return {
          rule: cap,
          reason: `${channel}: at most ${cap.max} ${what} in ${cap.withinDays} days; ${formatCivilDate(busiest.start)}–${formatCivilDate(busiest.start + cap.withinDays - 1)} already has ${busiest.count}`,
        };
      }
    }
    return undefined;
  };

  const block = blockAt(candidateDay);
  if (!block) return { allowed: true };
  // Past the last counted contact plus the longest window and the quiet period, nothing blocks.
  const lastDay = Math.max(candidateDay, ...caps.flatMap((c) => c.days.slice(-1)), ...talks);
  const horizon = lastDay + Math.max(0, ...caps.map((c) => c.cap.withinDays)) + quiet + 1;
  let next = candidateDay + 1;
  while (next < horizon && blockAt(next)) next++;
  return { allowed: false, ...block, nextAllowedDay: next };
}
