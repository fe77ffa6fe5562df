/**
 * Where JSON text stops being JSON, by line and column: what a person opens their editor at.
 * `JSON.parse`'s own message says a character offset at best, and for some mistakes (`"b": x`) it
 * quotes the whole text instead; this scanner is asked only after `JSON.parse` has refused.
 */

/** The first syntax error of a JSON text: 1-based line and column, and what was expected there. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  /** `expected ',' or '}' after a property value`, `unexpected end of the text`, … */
  message: string;
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * The first syntax error of `text`, or undefined when it is JSON. Iterative (a container stack),
 * so that deep nesting cannot overflow the call stack.
 *
 * @example jsonSyntaxError('{\n  "a": 1\n  "b": 2\n}') // => { line: 3, column: 3, message: "expected ',' or '}' after a property value" }
 * @example jsonSyntaxError('{"a": 1}') // => undefined
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const stack: ("object" | "array")[] = [];
  const at = (offset: number, message: string): JsonSyntaxError => {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1, message: offset >= text.length ? `${message}, but the text ends` : `${message} (found ${JSON.stringify(text[offset])})` };
  };
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  /** A string starting at i (a `"`); moves past it, or returns the error. */
  const string = (): JsonSyntaxError | undefined => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c < " ") return at(i, "a string must not hold a line break or control character (write \\n)");
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return at(i, "\\u must be followed by four hex digits");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return at(i, "a backslash in a string must start an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      } else i++;
    }
    return at(i, "a string must end with a double quote");
  };
  let expectValue = true;
  for (;;) {
    skip();
    if (expectValue) {
      const c = text[i];
      if (c === "{" || c === "[") {
        stack.push(c === "{" ? "object" : "array");
        i++;
        skip();
        if (text[i] === (c === "{" ? "}" : "]")) {
          stack.pop();
          i++;
          expectValue = false;
          continue;
        }
        if (c === "{") {
          if (text[i] !== '"') return at(i, "expected a double-quoted property name");
          const bad = string() ?? colon();
          if (bad) return bad;
        }
        continue;
      }
      if (c === '"') {
        const bad = string();
        if (bad) return bad;
      } else {
        const pattern = c === "-" || (c !== undefined && c >= "0" && c <= "9") ? NUMBER : LITERAL;
        pattern.lastIndex = i;
        const m = pattern.exec(text);
        if (!m) return at(i, "expected a value (an object, array, string, number, true, false or null)");
        i += m[0].length;
      }
      expectValue = false;
      continue;
    }
    const top = stack.at(-1);
    if (top === undefined) return i < text.length ? at(i, "expected the end of the text after the JSON value") : undefined;
    const close = top === "object" ? "}" : "]";
    if (text[i] === close) {
      stack.pop();
      i++;
    } else if (text[i] === ",") {
      i++;
      expectValue = true;
      if (top === "object") {
        skip();
        if (text[i] !== '"') return at(i, "expected a double-quoted property name");
        const bad = string() ?? colon();
        if (bad) return bad;
      }
    } else return at(i, `expected ',' or '${close}' after ${top === "object" ? "a property value" : "an element"}`);
  }

  function colon(): JsonSyntaxError | undefined {
    skip();
    if (text[i] !== ":") return at(i, "expected ':' after the property name");
    i++;
    return undefined;
  }
}

/** `line 3, column 3: expected …`: one line for a person. */
export function formatJsonSyntaxError(error: JsonSyntaxError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}
