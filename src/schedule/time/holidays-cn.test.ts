/**
 * The holiday data checked against itself and against the law's arithmetic: each notice gives
 * exactly the statutory number of rest days (weekday rest days minus make-up days), which catches
 * a mistyped date; 2026 is also checked month by month against an independent working-day list.
 */
import { describe, expect, it } from "vitest";
import { civilDate, civilOf, epochDayOf, isoWeekday, parseCivilDate } from "./civil-date.js";
import { createWorkingCalendar } from "./calendar.js";
import { CN_HOLIDAY_NAMES, CN_HOLIDAY_YEARS } from "./holidays-cn.js";

function offDays(year: (typeof CN_HOLIDAY_YEARS)[number]): number[] {
  return year.off.flatMap(([, from, to]) => {
    const a = civilDate(from);
    const b = to === undefined ? a : civilDate(to);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

/**
 * Statutory holiday days a year (全国年节及纪念日放假办法): 11 from 2008, 13 from 2025 (2024
 * revision). 2015 had one extra (the 70th anniversary, 2015-09-03); the 2020 Spring Festival
 * extension added 2020-01-31 (Friday) and cancelled the make-up Saturday 2020-02-01.
 */
function statutoryDays(year: number): number {
  if (year === 2015) return 12;
  if (year === 2020) return 13;
  return year >= 2025 ? 13 : 11;
}

describe("CN holiday data", () => {
  it("covers every year from 2008 to 2026, in order, each with a gov.cn notice", () => {
    expect(CN_HOLIDAY_YEARS.map((y) => y.year)).toEqual(Array.from({ length: 19 }, (_, i) => 2008 + i));
    for (const y of CN_HOLIDAY_YEARS) {
      expect(y.notices.length).toBeGreaterThan(0);
      for (const url of y.notices) expect(url).toMatch(/^https?:\/\/www\.gov\.cn\//);
    }
  });

  it("has real dates, in the notice's year or the December before, and known holiday names", () => {
    for (const y of CN_HOLIDAY_YEARS) {
      const first = epochDayOf(y.year - 1, 12, 1);
      const last = epochDayOf(y.year, 12, 31);
      for (const [name, from, to] of y.off) {
        expect(CN_HOLIDAY_NAMES[name], name).toBeDefined();
        const a = parseCivilDate(from);
        const b = to === undefined ? a : parseCivilDate(to);
        expect(a, from).toBeDefined();
        expect(b, to).toBeDefined();
        expect(a as number).toBeGreaterThanOrEqual(first);
        expect(b as number).toBeLessThanOrEqual(last);
        expect((b as number) - (a as number)).toBeGreaterThanOrEqual(0);
        expect((b as number) - (a as number)).toBeLessThan(10); // the longest break is 9 days (2026 Spring Festival)
      }
      for (const [name, date] of y.work) {
        expect(CN_HOLIDAY_NAMES[name], name).toBeDefined();
        const d = parseCivilDate(date);
        expect(d, date).toBeDefined();
        expect(d as number).toBeGreaterThanOrEqual(first);
        expect(d as number).toBeLessThanOrEqual(last);
      }
    }
  });

  it("makes up only on weekends, never on a rest day", () => {
    const allOff = new Set(CN_HOLIDAY_YEARS.flatMap(offDays));
    for (const y of CN_HOLIDAY_YEARS) {
      for (const [, date] of y.work) {
        expect(isoWeekday(civilDate(date)), date).toBeGreaterThanOrEqual(6);
        expect(allOff.has(civilDate(date)), date).toBe(false);
      }
    }
  });

  it("gives each year exactly its statutory number of rest days", () => {
    for (const y of CN_HOLIDAY_YEARS) {
      const weekdaysOff = new Set(offDays(y).filter((d) => isoWeekday(d) <= 5)).size;
      expect(weekdaysOff - y.work.length, String(y.year)).toBe(statutoryDays(y.year));
    }
  });

  it("matches awfe/ChinaWorkingDay's 2026 working days, month by month (248 in all)", () => {
    const cal = createWorkingCalendar({ holidays: "CN" });
    const perMonth = Array.from({ length: 12 }, () => 0);
    for (let d = epochDayOf(2026, 1, 1); d <= epochDayOf(2026, 12, 31); d++) {
      if (cal.isWorkingDay(d)) perMonth[civilOf(d)[1] - 1]! += 1;
    }
    expect(perMonth).toEqual([21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23]);
  });

  it("holds the amendments and one-off holidays", () => {
    const cal = createWorkingCalendar({ holidays: "CN" });
    expect(cal.isWorkingDay(civilDate("2020-01-31"))).toBe(false); // 2020 extension
    expect(cal.isWorkingDay(civilDate("2020-02-01"))).toBe(false); // make-up Saturday cancelled
    expect(cal.isWorkingDay(civilDate("2020-02-03"))).toBe(true);
    expect(cal.isWorkingDay(civilDate("2019-05-02"))).toBe(false); // 2019 Labour Day amendment
    expect(cal.isWorkingDay(civilDate("2019-05-05"))).toBe(true);
    expect(cal.isWorkingDay(civilDate("2015-09-03"))).toBe(false); // 70th anniversary
    expect(cal.isWorkingDay(civilDate("2015-09-06"))).toBe(true);
    expect(cal.isWorkingDay(civilDate("2023-01-02"))).toBe(false); // 2023 New Year from 2022-12-31
    expect(cal.isWorkingDay(civilDate("2011-12-31"))).toBe(true); // in the 2012 notice
  });
});
