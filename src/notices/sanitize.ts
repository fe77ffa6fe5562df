/**
 * Safe interpolation of untrusted text (owner names and unit labels come from the vendor's
 * ledger; estate settings from a policy file) into plain-text notices that may end up in SMS,
 * print, HTML e-mail or an app.
 */
import { BIDI_CLASS, CONTROL_CLASS, LONE_SURROGATE } from "../text/index.js";

/**
 * Characters removed outright: C0 controls except TAB/LF/CR (those become spaces first), DEL, C1
 * controls, bidi embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069) and marks
 * (U+200E, U+200F, U+061C), zero-width characters and BOM (U+200B–U+200D, U+2060, U+FEFF).
 */
const REMOVE = new RegExp(`[${CONTROL_CLASS}${BIDI_CLASS}\\u200B-\\u200D\\u2060\\uFEFF]`, "g");
/** Line breaks of every kind become a space: a value can never start a new line of the notice. */
const BREAKS = /[\t\n\r\u0085\u2028\u2029]+/g;
/** Markup: angle brackets are dropped; `&` becomes a fullwidth ampersand, so no entity (`&#60;`) survives. */
const MARKUP = /[<>]/g;

/** Default length limits, in code points. */
export const LIMITS = { owner: 40, unit: 32, estate: 60, phone: 32, paymentChannel: 80, value: 400 } as const;

/**
 * Cleans one value: NFC, no control/bidi/zero-width characters, no line breaks, no markup,
 * single spaces, trimmed, at most `max` code points (an ellipsis marks a cut). `{{` cannot form
 * a placeholder either, though interpolation is single-pass and never re-reads values.
 */
export function sanitizeText(value: unknown, max: number = LIMITS.value): string {
  if (typeof value !== "string") return "";
  let text = value
    .replace(LONE_SURROGATE, "")
    .normalize("NFC")
    .replace(BREAKS, " ")
    .replace(REMOVE, "")
    .replace(MARKUP, "")
    .replace(/&/g, "\uFF06")
    .replace(/\{\{|\}\}/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const points = Array.from(text);
  if (points.length > max) text = `${points.slice(0, Math.max(1, max - 1)).join("").trimEnd()}…`;
  return text;
}

/** Masks a name for a public channel: its first character and two asterisks (`张**`). */
export function maskName(name: string): string {
  const first = Array.from(name)[0];
  return first === undefined ? "" : `${first}**`;
}
