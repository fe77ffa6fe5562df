/**
 * Ledger text (ids, owner names, units, reasons) shown on each output whatever it holds. A
 * terminal acts on control characters (ESC sequences set its title or clear the screen; a line
 * feed starts a forged line) and bidi controls reorder what is shown, so they are written as
 * visible escapes; XML refuses most controls, so they become U+FFFD there; JSON.stringify leaves
 * C1, bidi and line separators raw, so they are escaped too. Notices clean text their own way
 * (notices/sanitize.ts), from the same character classes.
 */

/** C0 controls, DEL and C1 controls (a regular-expression class body). */
export const CONTROL_CLASS = "\\u0000-\\u001F\\u007F-\\u009F";
/** Bidi embeddings, overrides, isolates and marks ("Trojan Source"). */
export const BIDI_CLASS = "\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069";
/** Line and paragraph separators: line breaks to some readers. */
const SEPARATOR_CLASS = "\\u2028\\u2029";
/** Half of a surrogate pair without the other half (broken UTF-16). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const TERMINAL_UNSAFE = new RegExp(`[${CONTROL_CLASS}${BIDI_CLASS}${SEPARATOR_CLASS}]|${LONE_SURROGATE.source}`, "g");
const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function hex(c: string, digits: number): string {
  return c.charCodeAt(0).toString(16).padStart(digits, "0");
}

/**
 * Text for a terminal: every control, bidi and separator character as a visible escape
 * (`\n`, `\x1b`, `\u202e`), so that one value stays on its line and shows what it holds. A
 * backslash is left as it is: the escapes are for reading; JSON output is the exact form.
 *
 * @example
 * terminalText("A-1\nskipped X-1") // "A-1\\nskipped X-1": one line
 * terminalText("Wang\x1b]0;x\x07") // "Wang\\x1b]0;x\\x07"
 */
export function terminalText(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => SHORT_ESCAPES[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/**
 * XML 1.0's Char production allows TAB, LF and CR of the C0 controls and no lone surrogate,
 * U+FFFE or U+FFFF; DEL, C1 and bidi controls are allowed but would act or reorder in a viewer.
 */
const XML_UNSAFE = new RegExp(`[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F${BIDI_CLASS}\\uFFFE\\uFFFF]|${LONE_SURROGATE.source}`, "g");

/**
 * Text XML accepts: each character it does not allow (or that would act in a viewer) replaced by
 * U+FFFD. Markup (`&`, `<`, …) is escaped after this (xml.ts).
 *
 * @example
 * xmlChars("Wang\x1b\x07") // "Wang\uFFFD\uFFFD"
 */
export function xmlChars(text: string): string {
  return text.replace(XML_UNSAFE, "\uFFFD");
}

/** What JSON.stringify leaves raw (it escapes C0 controls and lone surrogates itself). */
const JSON_RAW = new RegExp(`[\\u007F-\\u009F${BIDI_CLASS}${SEPARATOR_CLASS}]`, "g");

/**
 * `JSON.stringify`, with DEL, C1, bidi and separator characters written as `\uXXXX`: the same
 * JSON value, safe to print on a terminal. They can only occur inside strings, where the escape
 * means the same character.
 */
export function jsonText(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(JSON_RAW, (c) => `\\u${hex(c, 4)}`);
}
