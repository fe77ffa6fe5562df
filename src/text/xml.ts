/**
 * Markup for XML and HTML (the timeline's SVG, the report's page): ledger text as character data
 * or a double-quoted attribute value, never as markup.
 */
import { xmlChars } from "./safe-text.js";

/** XML text content: characters XML does not allow become U+FFFD (`xmlChars`); `&`, `<`, `>` are escaped. */
export function escapeText(text: string): string {
  return xmlChars(text).replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** XML attribute values (always double-quoted): also `"` and `'`. */
export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
