import { describe, expect, it } from "vitest";
import { formatMinor } from "./money-text.js";

describe("formatMinor", () => {
  it("formats minor units with integer arithmetic, grouped by thousands", () => {
    expect(formatMinor(0, 2)).toBe("0.00");
    expect(formatMinor(5, 2)).toBe("0.05");
    expect(formatMinor(123456789, 2)).toBe("1,234,567.89");
    expect(formatMinor(-100005, 2)).toBe("-1,000.05");
    expect(formatMinor(1000, 0)).toBe("1,000");
    expect(formatMinor(12345, 3)).toBe("12.345");
  });

  it("leaves out the grouping for machine-read output, and stays exact past 2^53 / 100", () => {
    expect(formatMinor(123456789, 2, false)).toBe("1234567.89");
    expect(formatMinor(Number.MAX_SAFE_INTEGER, 2, false)).toBe("90071992547409.91");
  });
});
