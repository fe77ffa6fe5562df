/**
 * Working days: weekends, public holidays with their make-up working days (调休), and an
 * estate's own closures, compiled once into an integer map so that the scheduler's per-day
 * questions are one `Map` lookup.
 *
 * Two layers, because the law and the estate ask different questions:
 * - the **statutory** calendar (weekends, public holidays, make-up days) decides where a deadline
 *   falls (Civil Code art. 203: a period whose last day is a statutory rest day ends on the day
 *   after the rest day);
 * - the **estate's** calendar adds its closures and extra working days; it decides when staff can
 *   act (a door posting on a working day) and can only lengthen an owner's deadline, never shorten
 *   it: a deadline moves past a closure (the office is shut, the owner cannot pay there), but an
 *   extra working day of the estate does not make a public holiday count as the last day.
 */
import { civilDate, civilOf, formatCivilDate, isoWeekday, parseCivilDate, type EpochDay } from "./civil-date.js";
import { CN_HOLIDAY_YEARS } from "./holidays-cn.js";
import { CalendarError, InvalidArgumentError } from "../../rules/errors.js";
import { calendarConflicts } from "../../rules/contact.js";

/** How to build a calendar; the shape a policy's calendar section takes. */
export interface WorkingCalendarOptions {
  /** `CN`: Chinese public holidays and make-up days from the State Council notices; `none`: weekends only. */
  readonly holidays: "CN" | "none";
  /** The estate's own closure dates (`YYYY-MM-DD`): no staff action, and deadlines move past them. */
  readonly closures?: readonly string[];
  /** Dates (`YYYY-MM-DD`) the estate works although they are weekends or holidays. */
  readonly extraWorkingDays?: readonly string[];
}

export interface WorkingCalendar {
  /** The holiday data the calendar was built with. */
  readonly holidays: "CN" | "none";
  /** True when the estate works on `day` (staff actions, working-day channels). */
  isWorkingDay(day: EpochDay): boolean;
  /** True when `day` is not a statutory rest day (weekend unless a make-up day, or public holiday). */
  isStatutoryWorkingDay(day: EpochDay): boolean;
  /** `day` itself when it is a working day, else the first working day after it. */
  nextWorkingDay(day: EpochDay): EpochDay;
  /**
   * The `n`-th working day after `day`, not counting `day` itself (Civil Code art. 201: the
   * starting day is not counted); `n = 0` is `nextWorkingDay(day)`; a negative `n` counts back.
   */
  addWorkingDays(day: EpochDay, n: number): EpochDay;
  /**
   * True when the calendar knows `year`: always with `holidays: "none"`; with `CN`, when that
   * year's State Council notice is in the data. Outside the data the calendar treats only
   * weekends as rest days, so a caller should warn.
   */
  covers(year: number): boolean;
}

/** The years the Chinese holiday data covers, oldest first. */
export const CN_COVERED_YEARS: readonly number[] = CN_HOLIDAY_YEARS.map((y) => y.year);

function parseList(dates: readonly string[] | undefined, field: string): EpochDay[] {
  return (dates ?? []).map((text, i) => {
    const day = parseCivilDate(text);
    if (day === undefined) throw new InvalidArgumentError("invalid_date", `${field}[${i}]`, `${field}: not a civil date (YYYY-MM-DD): ${JSON.stringify(text)}`);
    return day;
  });
}

function isWeekend(day: EpochDay): boolean {
  return isoWeekday(day) >= 6;
}

// The statutory overrides (day → working?) are the same for every calendar; built once, lazily.
let cnStatutory: ReadonlyMap<EpochDay, boolean> | undefined;

function cnOverrides(): ReadonlyMap<EpochDay, boolean> {
  if (cnStatutory) return cnStatutory;
  const map = new Map<EpochDay, boolean>();
  for (const year of CN_HOLIDAY_YEARS) {
    for (const [, from, to] of year.off) {
      const first = parseList([from], `CN ${year.year} off`)[0] as EpochDay;
      const last = to === undefined ? first : (parseList([to], `CN ${year.year} off`)[0] as EpochDay);
      for (let d = first; d <= last; d++) map.set(d, false);
    }
    for (const [, date] of year.work) map.set(parseList([date], `CN ${year.year} work`)[0] as EpochDay, true);
  }
  cnStatutory = map;
  return map;
}

/**
 * Builds a calendar. Throws an `InvalidArgumentError` (`invalid_date`) for a date that is not
 * `YYYY-MM-DD`, a `CalendarError` (`calendar_conflict`) for one that is both a closure and an
 * extra working day.
 *
 * @example
 * const cal = createWorkingCalendar({ holidays: "CN" });
 * formatCivilDate(cal.nextWorkingDay(civilDate("2026-10-01"))) // "2026-10-08" (National Day week)
 * cal.isWorkingDay(civilDate("2026-02-14"))                    // true: a make-up Saturday
 * cal.covers(2026)                                              // true
 * cal.covers(2030)                                              // false: weekends only
 */
export function createWorkingCalendar(options: WorkingCalendarOptions): WorkingCalendar {
  const statutory: ReadonlyMap<EpochDay, boolean> = options.holidays === "CN" ? cnOverrides() : new Map();
  const closures = parseList(options.closures, "closures");
  const extra = parseList(options.extraWorkingDays, "extraWorkingDays");
  const [clash] = calendarConflicts(options);
  if (clash !== undefined) throw new CalendarError("calendar_conflict", clash.path, clash.message);
  // The estate's layer on top of the statutory one: one lookup answers isWorkingDay.
  const estate = new Map(statutory);
  for (const d of extra) estate.set(d, true);
  for (const d of closures) estate.set(d, false);
  const covered = new Set(options.holidays === "CN" ? CN_COVERED_YEARS : []);

  const isStatutoryWorkingDay = (day: EpochDay): boolean => statutory.get(day) ?? !isWeekend(day);
  const isWorkingDay = (day: EpochDay): boolean => estate.get(day) ?? !isWeekend(day);
  // Terminates: the overrides are finite, and every week outside them has working weekdays.
  const nextWorkingDay = (day: EpochDay): EpochDay => {
    let d = day;
    while (!isWorkingDay(d)) d++;
    return d;
  };

  return {
    holidays: options.holidays,
    isWorkingDay,
    isStatutoryWorkingDay,
    nextWorkingDay,
    addWorkingDays(day, n) {
      if (!Number.isInteger(n)) throw new InvalidArgumentError("invalid_number", "n", `addWorkingDays: n must be an integer, got ${n}`);
      if (n === 0) return nextWorkingDay(day);
      const step = n > 0 ? 1 : -1;
      let d = day;
      for (let left = Math.abs(n); left > 0; ) {
        d += step;
        if (isWorkingDay(d)) left--;
      }
      return d;
    },
    covers: (year) => options.holidays === "none" || covered.has(year),
  };
}

/**
 * The working calendar of a policy: its `calendar` section, or weekends only when it has none.
 * The one reading of that section: the compiled policy and the money functions both use it.
 */
export function workingCalendarOf(policy: { readonly calendar?: WorkingCalendarOptions }): WorkingCalendar {
  return createWorkingCalendar(policy.calendar ?? { holidays: "none" });
}

/**
 * The epoch day a deadline that falls on `day` really ends (Civil Code art. 203): `day` itself
 * when it is a statutory working day and the estate is open, else the first later day that is
 * both. A make-up Saturday (调休) is a working day, so a deadline on it stays. The planner's form
 * of {@link deadlineOn}.
 */
export function deadlineDayOn(day: EpochDay, calendar: WorkingCalendar): EpochDay {
  let d = day;
  while (!(calendar.isStatutoryWorkingDay(d) && calendar.isWorkingDay(d))) d++;
  return d;
}

/**
 * The epoch day of the deadline `days` days after `start` (the start day is not counted, Civil
 * Code art. 201), moved off rest days. The planner's form of {@link deadlineAfter}.
 */
export function deadlineDayAfter(start: EpochDay, days: number, calendar: WorkingCalendar): EpochDay {
  return deadlineDayOn(start + days, calendar);
}

// A caller asks with the same options object many times (a policy's `calendar`): build it once.
const calendars = new WeakMap<WorkingCalendarOptions, WorkingCalendar>();

function calendarFor(options: WorkingCalendarOptions): WorkingCalendar {
  let calendar = calendars.get(options);
  if (calendar === undefined) calendars.set(options, (calendar = createWorkingCalendar(options)));
  return calendar;
}

/**
 * The day a deadline that falls on `date` really ends (Civil Code art. 203): `date` itself when it
 * is a statutory working day and the estate is open, else the first later day that is both.
 * `calendar` is a policy's `calendar` section (`policy.calendar`). Throws a `RangeError` for a
 * date that is not `YYYY-MM-DD`.
 *
 * @example
 * // National Day week: 2026-10-01 to 10-07 are public holidays (State Council notice for 2026).
 * deadlineOn("2026-10-01", { holidays: "CN" }) // => "2026-10-08"
 * // 2026-10-10 is a Saturday worked in exchange (调休): a deadline on it stays.
 * deadlineOn("2026-10-10", { holidays: "CN" }) // => "2026-10-10"
 * // Weekends only: Saturday 2026-10-03 moves to Monday.
 * deadlineOn("2026-10-03", { holidays: "none" }) // => "2026-10-05"
 * // The estate's office is shut on Monday 2026-05-11: the owner has until Tuesday.
 * deadlineOn("2026-05-11", { holidays: "CN", closures: ["2026-05-11"] }) // => "2026-05-12"
 */
export function deadlineOn(date: string, calendar: WorkingCalendarOptions): string {
  return formatCivilDate(deadlineDayOn(civilDate(date), calendarFor(calendar)));
}

/**
 * The deadline `days` days after `start` (the start day is not counted, Civil Code art. 201),
 * moved off rest days as {@link deadlineOn} does. `calendar` is a policy's `calendar` section.
 *
 * @example
 * // A final notice served on 2026-09-16 with 15 days to pay: day 15 is 2026-10-01, National Day.
 * deadlineAfter("2026-09-16", 15, { holidays: "CN" }) // => "2026-10-08"
 * // Served on Monday 2026-03-02 with 10 days: Thursday 2026-03-12, a working day.
 * deadlineAfter("2026-03-02", 10, { holidays: "CN" }) // => "2026-03-12"
 */
export function deadlineAfter(start: string, days: number, calendar: WorkingCalendarOptions): string {
  return formatCivilDate(deadlineDayAfter(civilDate(start), days, calendarFor(calendar)));
}

/** The calendar year of an epoch day, for `covers`. */
export function yearOf(day: EpochDay): number {
  return civilOf(day)[0];
}

/**
 * Why the days of an action may still move: `day` (the planning day) or `deadline` falls in a
 * year whose public holidays the calendar does not know (DOMAIN.md, decided 2026-12-06: until
 * the State Council's notice for the year is in the data, plans and deadlines in it must say so).
 * Undefined when every day is covered. Planning itself is unchanged: weekends only that year.
 *
 * @example
 * unknownHolidaysNote(createWorkingCalendar({ holidays: "CN" }), civilDate("2026-12-25"), civilDate("2027-01-11"))
 * // "2027's public holidays are not in the calendar yet (the State Council publishes them in Nov/Dec): the deadline may move"
 */
export function unknownHolidaysNote(calendar: WorkingCalendar, day: EpochDay, deadline?: EpochDay): string | undefined {
  const dayYear = yearOf(day);
  const dayOpen = !calendar.covers(dayYear);
  const deadlineYear = deadline === undefined ? dayYear : yearOf(deadline);
  const deadlineOpen = deadline !== undefined && !calendar.covers(deadlineYear);
  if (!dayOpen && !deadlineOpen) return undefined;
  const years = [...new Set([...(dayOpen ? [dayYear] : []), ...(deadlineOpen ? [deadlineYear] : [])])].join(" and ");
  const what = dayOpen && deadlineOpen ? "this day and the deadline" : dayOpen ? "this day" : "the deadline";
  return `${years}'s public holidays are not in the calendar yet (the State Council publishes them in Nov/Dec): ${what} may move`;
}
