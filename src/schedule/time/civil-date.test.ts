import { describe, expect, it } from "vitest";
import { formatCivilDate, parseCivilDate, parsePeriod, monthIndexOf } from "./civil-date.js";

describe("parseCivilDate", () => {
  it("reads real dates, leap days included", () => {
    expect(parseCivilDate("2026-03-01")).toBe(20513);
    expect(parseCivilDate("1970-01-01")).toBe(0);
    // Days since 1970-01-01, counted independently (parseCivilDate itself calls epochDayOf).
    expect(parseCivilDate("2024-02-29")).toBe(19782);
    expect(parseCivilDate("2000-02-29")).toBe(11016);
    expect(parseCivilDate("2024-03-01")! - parseCivilDate("2024-02-28")!).toBe(2);
    expect(formatCivilDate(parseCivilDate("2026-12-31")!)).toBe("2026-12-31");
  });

  it("refuses anything that is not exactly a real YYYY-MM-DD", () => {
    for (const text of ["2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "2026-01-1", "26-01-01",
      " 2026-01-01", "2026-01-01 ", "2026-01-01\n", "2026/01/01", "2026-01-0a", "２０２６-01-01", "2026-01-01T00:00", "", "+2026-01-01"])
      expect(parseCivilDate(text), JSON.stringify(text)).toBeUndefined();
  });
});

describe("parsePeriod", () => {
  it("reads YYYY-MM as a month index", () => {
    expect(parsePeriod("2026-03")).toBe(monthIndexOf(2026, 3));
    expect(parsePeriod("2024-12")).toBe(monthIndexOf(2024, 12));
  });

  it("refuses other text", () => {
    for (const text of ["2026-13", "2026-00", "2026-1", "2026-03-01", "202603", "2026-0x", " 2026-03", "2026-03\n", ""])
      expect(parsePeriod(text), JSON.stringify(text)).toBeUndefined();
  });
});
