/**
 * Civil dates (`YYYY-MM-DD`, no time, no zone) as integer epoch days.
 *
 * The scheduler compares and adds dates millions of times per run, so it works on integers
 * (days since 1970-01-01) rather than on luxon `DateTime`s. The conversion is Howard Hinnant's
 * `days_from_civil`, exact for the proleptic Gregorian calendar.
 */
import { InvalidArgumentError } from "../../rules/errors.js";
import { remembered } from "../memo.js";

/** Days since 1970-01-01 of a civil date. */
export type EpochDay = number;


/** Days since 1970-01-01 of year `y`, month `m` (1–12), day `d` (1–31). Not validated. */
export function epochDayOf(y: number, m: number, d: number): EpochDay {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The `[year, month, day]` of an epoch day.
 *
 * A fresh array per call: a module-level scratch array measured no faster, paired, on the
 * planner's path (dueActions with checking, 2,000 accounts of the realistic mix: plain/scratch
 * 0.93–0.98 over three runs, against 0.88–1.00 for scratch against itself) nor on these
 * functions alone (0.99), so it went (issue 16: a trick must keep paying).
 */
export function civilOf(day: EpochDay): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses `YYYY-MM-DD` into an epoch day, or returns `undefined` when the string is not a real
 * date (`2026-02-30` is not).
 *
 * @example parseCivilDate("2026-03-01") // 20513
 */
export function parseCivilDate(text: string): EpochDay | undefined {
  // Character arithmetic rather than a regular expression: adapters parse millions of these.
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return epochDayOf(y, mo, d);
}

const DASH = 45; // "-"
const ZERO = 48; // "0"

/** The value of the `count` ASCII digits of `text` at `from`, or -1 when one is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** True when `text` is a real `YYYY-MM-DD` date. */
export function isCivilDate(text: string): boolean {
  return parseCivilDate(text) !== undefined;
}

/** Parses a civil date or throws an `InvalidArgumentError` (`invalid_date`) naming it. */
export function civilDate(text: string): EpochDay {
  const day = parseCivilDate(text);
  if (day === undefined) throw new InvalidArgumentError("invalid_date", "", `not a civil date (YYYY-MM-DD): ${JSON.stringify(text)}`);
  return day;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Formats an epoch day as `YYYY-MM-DD`.
 *
 * @example formatCivilDate(20513) // "2026-03-01"
 */
export function formatCivilDate(day: EpochDay): string {
  const ymd = civilOf(day);
  return `${String(ymd[0]).padStart(4, "0")}-${pad2(ymd[1])}-${pad2(ymd[2])}`;
}

// Dates repeat across accounts (due dates, payment days, the planning day): format each once.
const formatted = new Map<EpochDay, string>();
/** @internal `formatCivilDate`, remembered (at most 8,192 days, then forgotten and begun again). */
export function formatDay(day: EpochDay): string {
  return remembered(formatted, day, 8192, formatCivilDate);
}

/** A month as one integer: `year * 12 + (month - 1)`. */
export type MonthIndex = number;

export function monthIndexOf(year: number, month: number): MonthIndex {
  return year * 12 + (month - 1);
}

/** The month index of an epoch day. */
export function monthIndexOfDay(day: EpochDay): MonthIndex {
  const ymd = civilOf(day);
  return monthIndexOf(ymd[0], ymd[1]);
}

/** Parses a billing period `YYYY-MM` into a month index, or `undefined`. */
export function parsePeriod(text: string): MonthIndex | undefined {
  if (text.length !== 7 || text.charCodeAt(4) !== DASH) return undefined;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  if (y < 0 || mo < 1 || mo > 12) return undefined;
  return monthIndexOf(y, mo);
}

/**
 * Day `day` of the month `index`, clamped to the month's last day: day 31 of February 2026 is
 * 2026-02-28, because "day 31 of each month" in a policy means "the month's last day" there.
 *
 * @example formatCivilDate(dayOfMonth(monthIndexOf(2026, 2), 31)) // "2026-02-28"
 */
export function dayOfMonth(index: MonthIndex, day: number): EpochDay {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return epochDayOf(year, month, Math.min(day, daysInMonth(year, month)));
}

/**
 * The same day-of-month `months` later, clamped to the month's end (2026-01-31 plus one month
 * is 2026-02-28), the way "months in arrears" are counted.
 *
 * @example formatCivilDate(addMonths(civilDate("2026-01-31"), 1)) // "2026-02-28"
 */
export function addMonths(day: EpochDay, months: number): EpochDay {
  const ymd = civilOf(day);
  return dayOfMonth(monthIndexOf(ymd[0], ymd[1]) + months, ymd[2]);
}

/**
 * Whole months from `from` to `to`: the largest `n` with `addMonths(from, n) <= to`; 0 when `to`
 * is before `from`.
 *
 * @example wholeMonthsBetween(civilDate("2026-03-01"), civilDate("2026-05-31")) // 2
 */
export function wholeMonthsBetween(from: EpochDay, to: EpochDay): number {
  if (to < from) return 0;
  const first = monthIndexOfDay(from);
  let n = monthIndexOfDay(to) - first;
  while (n > 0 && addMonths(from, n) > to) n--;
  return n;
}

/** ISO day of week, 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: EpochDay): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
