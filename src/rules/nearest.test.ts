import { describe, expect, it } from "vitest";
import { editDistance, nearestWord } from "./nearest.js";
import { STAGE_KINDS } from "./kinds.js";

describe("editDistance", () => {
  it("counts an insertion, a deletion, a substitution and a swap of neighbours as one edit each", () => {
    expect(editDistance("plan", "plan")).toBe(0);
    expect(editDistance("pln", "plan")).toBe(1); // a letter left out
    expect(editDistance("plann", "plan")).toBe(1); // one too many
    expect(editDistance("plen", "plan")).toBe(1); // one wrong
    expect(editDistance("paln", "plan")).toBe(1); // two swapped
    expect(editDistance("", "plan")).toBe(4);
    expect(editDistance("Plan", "plan")).toBe(0); // case is not a mistake worth counting
    expect(editDistance("kitten", "sitting")).toBe(3); // the textbook pair
  });
});

describe("nearestWord", () => {
  it("names the stage kind a mistyped one was meant to be", () => {
    expect(nearestWord("dunningNotise", STAGE_KINDS)).toBe("dunningNotice");
    expect(nearestWord("finalnotice", STAGE_KINDS)).toBe("finalNotice");
    expect(nearestWord("lawyerLeter", STAGE_KINDS)).toBe("lawyerLetter");
  });

  it("suggests nothing for a word that is another word, not a slip, nor for a known word", () => {
    expect(nearestWord("lawsuit", STAGE_KINDS)).toBeUndefined();
    expect(nearestWord("x", ["plan", "report"])).toBeUndefined();
    expect(nearestWord("plan", ["plan", "pla"])).toBeUndefined();
    expect(nearestWord("frobnicate", ["plan", "report"])).toBeUndefined();
  });

  it("allows more slips in a longer word, at most three", () => {
    expect(nearestWord("rpt", ["report"])).toBeUndefined(); // 3 edits in a 3-letter word is another word
    expect(nearestWord("reprot", ["report"])).toBe("report");
    expect(nearestWord("--ledgr", ["--ledger", "--policy"])).toBe("--ledger");
    expect(nearestWord("promiseToPayFollowUpXYZW", ["promiseToPayFollowUp"])).toBeUndefined(); // 4 > 3
    expect(nearestWord("valdate", ["validate", "plan"])).toBe("validate");
  });
});
