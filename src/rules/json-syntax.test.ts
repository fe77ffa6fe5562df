import { describe, expect, it } from "vitest";
import { formatJsonSyntaxError, jsonSyntaxError } from "./json-syntax.js";

/** Where each mistake is, counted by hand: line and column are 1-based, as editors show them. */
describe("jsonSyntaxError", () => {
  it("finds a missing comma between two properties on the line of the second", () => {
    const text = '{\n  "id": "x",\n  "version": "1"\n  "stages": []\n}\n';
    expect(jsonSyntaxError(text)).toEqual({ line: 4, column: 3, message: `expected ',' or '}' after a property value (found "\\"")` });
  });

  it("finds a trailing comma, a bare word, a missing colon and an unclosed object", () => {
    expect(jsonSyntaxError('{"a": 1,}')).toMatchObject({ line: 1, column: 9, message: expect.stringContaining("expected a double-quoted property name") });
    expect(jsonSyntaxError('{\n "a": 1,\n "b": x\n}')).toMatchObject({ line: 3, column: 7, message: expect.stringContaining("expected a value") });
    expect(jsonSyntaxError('{"a" 1}')).toMatchObject({ line: 1, column: 6, message: expect.stringContaining("expected ':'") });
    expect(jsonSyntaxError('{"a": [1, 2')).toMatchObject({ line: 1, column: 12, message: "expected ',' or ']' after an element, but the text ends" });
    expect(jsonSyntaxError("")).toMatchObject({ line: 1, column: 1, message: expect.stringContaining("but the text ends") });
  });

  it("finds what strings must not hold: a raw line break, an unknown escape", () => {
    expect(jsonSyntaxError('{"title": "催费\n通知"}')).toMatchObject({ line: 1, column: 14, message: expect.stringContaining("line break") });
    expect(jsonSyntaxError('{"a": "\\q"}')).toMatchObject({ line: 1, column: 8, message: expect.stringContaining("backslash") });
    expect(jsonSyntaxError('{"a": "\\u12G4"}')).toMatchObject({ line: 1, column: 8 });
  });

  it("finds text after the value, and numbers JSON does not allow", () => {
    expect(jsonSyntaxError('{"a": 1}\n}')).toMatchObject({ line: 2, column: 1, message: expect.stringContaining("end of the text") });
    expect(jsonSyntaxError('{"a": 01}')).toMatchObject({ line: 1, column: 8 }); // 0 then 1: no leading zeros
    expect(jsonSyntaxError('{"a": .5}')).toMatchObject({ line: 1, column: 7 });
  });

  it("says nothing of JSON that JSON.parse accepts, deep nesting included", () => {
    for (const text of ['{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}', " [ ] ", '"x"', "[".repeat(100_000) + "]".repeat(100_000)]) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonSyntaxError(text), text.slice(0, 40)).toBeUndefined();
    }
  });

  it("prints the place first", () => {
    expect(formatJsonSyntaxError({ line: 4, column: 3, message: "expected ':' after the property name" })).toBe("line 4, column 3: expected ':' after the property name");
  });
});
