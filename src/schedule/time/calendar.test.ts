import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { civilDate, epochDayOf, formatCivilDate, isoWeekday, type EpochDay } from "./civil-date.js";
import { createWorkingCalendar, deadlineAfter, deadlineDayAfter, deadlineDayOn, deadlineOn, yearOf, type WorkingCalendar } from "./calendar.js";

const CN = createWorkingCalendar({ holidays: "CN" });
const fmt = formatCivilDate;
const d = civilDate;

describe("createWorkingCalendar, CN", () => {
  it("moves a final-notice deadline on National Day 2026 to the first working day after the break", () => {
    // 2026 notice: 10-01 (Thu) to 10-07 (Wed) off; 10-08 (Thu) is the first working day.
    expect(fmt(deadlineDayOn(d("2026-10-01"), CN))).toBe("2026-10-08");
    expect(fmt(deadlineDayAfter(d("2026-09-16"), 15, CN))).toBe("2026-10-08");
    for (let day = d("2026-10-01"); day <= d("2026-10-07"); day++) expect(CN.isWorkingDay(day), fmt(day)).toBe(false);
  });

  it("treats a 调休 make-up weekend day as a working day, and keeps a deadline on it", () => {
    for (const text of ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]) {
      expect(isoWeekday(d(text)), text).toBeGreaterThanOrEqual(6);
      expect(CN.isWorkingDay(d(text)), text).toBe(true);
      expect(fmt(deadlineDayOn(d(text), CN))).toBe(text);
    }
  });

  it("treats every Spring Festival day as a rest day, weekdays included", () => {
    for (let day = d("2026-02-15"); day <= d("2026-02-23"); day++) {
      expect(CN.isWorkingDay(day), fmt(day)).toBe(false);
      expect(CN.isStatutoryWorkingDay(day), fmt(day)).toBe(false);
    }
    expect(fmt(CN.nextWorkingDay(d("2026-02-15")))).toBe("2026-02-24");
  });

  it("falls back to weekends only outside the data, and says so through covers", () => {
    expect(CN.covers(2026)).toBe(true);
    expect(CN.covers(2008)).toBe(true);
    expect(CN.covers(2027)).toBe(false);
    expect(CN.covers(2007)).toBe(false);
    expect(CN.isWorkingDay(d("2027-10-01"))).toBe(true); // a Friday, unknown holiday
    expect(CN.isWorkingDay(d("2027-10-02"))).toBe(false); // a Saturday
    expect(yearOf(d("2027-10-01"))).toBe(2027);
  });

  it("counts working days without the start day (Civil Code art. 201)", () => {
    expect(fmt(CN.addWorkingDays(d("2026-09-30"), 1))).toBe("2026-10-08");
    expect(fmt(CN.addWorkingDays(d("2026-10-08"), -1))).toBe("2026-09-30");
    expect(fmt(CN.addWorkingDays(d("2026-10-03"), 0))).toBe("2026-10-08");
    expect(fmt(CN.addWorkingDays(d("2026-10-08"), 3))).toBe("2026-10-12"); // 10-10 Sat is a make-up day
    expect(() => CN.addWorkingDays(d("2026-10-08"), 1.5)).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "n" }));
  });
});

describe("createWorkingCalendar, none and estate days", () => {
  it("knows only weekends with holidays: none, and covers every year", () => {
    const cal = createWorkingCalendar({ holidays: "none" });
    expect(cal.isWorkingDay(d("2026-10-01"))).toBe(true);
    expect(cal.isWorkingDay(d("2026-02-14"))).toBe(false);
    expect(cal.covers(2099)).toBe(true);
  });

  it("applies closures and extra working days to staff days, but deadlines only ever lengthen", () => {
    const cal = createWorkingCalendar({ holidays: "CN", closures: ["2026-10-08"], extraWorkingDays: ["2026-10-03", "2026-04-11"] });
    expect(cal.isWorkingDay(d("2026-10-08"))).toBe(false);
    expect(cal.isWorkingDay(d("2026-10-03"))).toBe(true); // the estate works on a holiday Saturday
    expect(cal.isWorkingDay(d("2026-04-11"))).toBe(true); // and on an ordinary Saturday
    expect(cal.isStatutoryWorkingDay(d("2026-10-03"))).toBe(false);
    // The owner's deadline ignores the estate's extra day and moves past its closure.
    expect(fmt(deadlineDayOn(d("2026-10-03"), cal))).toBe("2026-10-09");
    expect(fmt(deadlineDayOn(d("2026-04-11"), cal))).toBe("2026-04-13");
    expect(fmt(cal.nextWorkingDay(d("2026-10-03")))).toBe("2026-10-03");
  });

  it("rejects bad dates and a day that is both closed and worked", () => {
    expect(() => createWorkingCalendar({ holidays: "CN", closures: ["2026-02-30"] })).toThrow(/closures.*2026-02-30/);
    expect(() => createWorkingCalendar({ holidays: "CN", closures: ["2026-05-06"], extraWorkingDays: ["2026-05-06"] })).toThrow(/both/);
  });
});

// Days around the data's edges: 2007–2028.
const dayArb = fc.integer({ min: epochDayOf(2007, 1, 1), max: epochDayOf(2028, 12, 31) });
const calendarArb: fc.Arbitrary<WorkingCalendar> = fc
  .record({
    holidays: fc.constantFrom("CN" as const, "none" as const),
    closures: fc.uniqueArray(fc.integer({ min: epochDayOf(2025, 1, 1), max: epochDayOf(2026, 12, 31) }), { maxLength: 40 }),
    extra: fc.uniqueArray(fc.integer({ min: epochDayOf(2025, 1, 1), max: epochDayOf(2026, 12, 31) }), { maxLength: 20 }),
  })
  .map(({ holidays, closures, extra }) => {
    const closed = new Set(closures);
    return createWorkingCalendar({
      holidays,
      closures: closures.map(fmt),
      extraWorkingDays: extra.filter((x) => !closed.has(x)).map(fmt),
    });
  });

function workingBetween(cal: WorkingCalendar, from: EpochDay, to: EpochDay): number {
  let n = 0;
  for (let x = from; x <= to; x++) if (cal.isWorkingDay(x)) n++;
  return n;
}

describe("calendar properties", () => {
  it("nextWorkingDay returns a working day ≥ the input and skips no working day", () => {
    fc.assert(
      fc.property(calendarArb, dayArb, (cal, day) => {
        const next = cal.nextWorkingDay(day);
        expect(next).toBeGreaterThanOrEqual(day);
        expect(cal.isWorkingDay(next)).toBe(true);
        for (let x = day; x < next; x++) expect(cal.isWorkingDay(x)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("addWorkingDays lands on a working day with exactly n working days after the start", () => {
    fc.assert(
      fc.property(calendarArb, dayArb, fc.integer({ min: -30, max: 30 }), (cal, day, n) => {
        const r = cal.addWorkingDays(day, n);
        expect(cal.isWorkingDay(r)).toBe(true);
        if (n > 0) expect(workingBetween(cal, day + 1, r)).toBe(n);
        if (n < 0) expect(workingBetween(cal, r, day - 1)).toBe(-n);
        if (n === 0) expect(r).toBe(cal.nextWorkingDay(day));
      }),
      { numRuns: 1000 },
    );
  });

  it("deadlineOn is the first day ≥ the input that is both a statutory and an estate working day", () => {
    fc.assert(
      fc.property(calendarArb, dayArb, (cal, day) => {
        const both = (x: EpochDay) => cal.isWorkingDay(x) && cal.isStatutoryWorkingDay(x);
        const r = deadlineDayOn(day, cal);
        expect(r).toBeGreaterThanOrEqual(day);
        expect(both(r)).toBe(true);
        for (let x = day; x < r; x++) expect(both(x)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("deadlineOn and deadlineAfter, the public civil-date forms", () => {
  it("take and return YYYY-MM-DD and agree with the planner's epoch-day forms", () => {
    // 2026 notice: National Day 10-01..10-07 off; 2026-09-16 + 15 days = 10-01.
    expect(deadlineAfter("2026-09-16", 15, { holidays: "CN" })).toBe("2026-10-08");
    expect(deadlineOn("2026-10-10", { holidays: "CN" })).toBe("2026-10-10"); // make-up Saturday
    expect(deadlineOn("2026-10-10", { holidays: "none" })).toBe("2026-10-12"); // a plain Saturday without the data
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 60 }), (day, days) => {
        expect(deadlineAfter(fmt(day), days, { holidays: "CN" })).toBe(fmt(deadlineDayAfter(day, days, CN)));
      }),
      { numRuns: 500 },
    );
  });

  it("honour the estate's closures, also when the same options object is asked again", () => {
    const options = { holidays: "CN" as const, closures: ["2026-05-11"] };
    expect(deadlineOn("2026-05-11", options)).toBe("2026-05-12");
    expect(deadlineOn("2026-05-11", options)).toBe("2026-05-12");
    expect(deadlineOn("2026-05-11", { holidays: "CN" })).toBe("2026-05-11");
  });

  it("refuse a date that is not YYYY-MM-DD", () => {
    expect(() => deadlineOn("2026-02-30", { holidays: "CN" })).toThrow(/not a civil date/);
  });
});
