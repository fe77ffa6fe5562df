import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonColumn, stringsColumn } from "./rows.js";

/** What the column reads as: the value, or the error JSON.parse throws. */
function read(f: (v: unknown) => unknown, value: unknown): unknown {
  try {
    return { value: f(value) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("stringsColumn", () => {
  it("reads arrays of plain strings as JSON.parse does", () => {
    expect(stringsColumn('["final_notice@fee-2026-03"]')).toEqual(["final_notice@fee-2026-03"]);
    expect(stringsColumn('["doorPosting","sms"]')).toEqual(["doorPosting", "sms"]);
    expect(stringsColumn('["",""]')).toEqual(["", ""]);
    expect(stringsColumn('[""]')).toEqual([""]);
  });

  it("gives exactly what jsonColumn gives, errors included", () => {
    const cases = ["[]", "null", "nope", '["a"', '["a",]', '["a","]', '["a""b"]', '["a",",""]', '["a\\"b"]', '["a\\u0041"]', '["a\tb"]', '[ "a" ]', '["a", "b"]',
      '["a"]]', '[["a"]]', '"abc"', "5", '["\u2028"]', '["\ud800"]', '["a","b","c"]'];
    for (const c of cases) expect(read(stringsColumn, c), c).toEqual(read(jsonColumn, c));
    for (const v of [null, undefined, 5, ["a"]]) expect(stringsColumn(v)).toEqual(jsonColumn(v));
  });

  it("agrees with jsonColumn on any text, well-formed or not", () => {
    const piece = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('"', ",", '","', "\\", "[", "]", "\n", " "));
    const text = fc.oneof(
      fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }).map((xs) => JSON.stringify(xs)),
      fc.array(piece, { maxLength: 6 }).map((ps) => `["${ps.join("")}"]`),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(fc.property(text, (t) => {
        expect(read(stringsColumn, t)).toEqual(read(jsonColumn, t));
      }), { numRuns: 2000, seed: 5 });
  });
});
