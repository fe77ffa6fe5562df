/** How the timeline writes things: kind labels and colours, XML escaping (amounts: formatMinor). */
import { STAGE_KINDS, STAGE_KIND_TABLE, type StageKind } from "../rules/kinds.js";
import { xmlChars } from "../text/index.js";

/** Labels people read (the kind's English label); the ids stay in the table. */
export const KIND_LABELS: Readonly<Record<StageKind, string>> = Object.freeze(
  Object.fromEntries(STAGE_KINDS.map((k) => [k, STAGE_KIND_TABLE[k].label.en])) as Record<StageKind, string>,
);

/** Fill colours by kind (`StageKindInfo.color`): informational blue, pressing orange, demands red, legal purple. */
export const KIND_COLORS: Readonly<Record<StageKind, string>> = Object.freeze(
  Object.fromEntries(STAGE_KINDS.map((k) => [k, STAGE_KIND_TABLE[k].color])) as Record<StageKind, string>,
);

/** XML text content: characters XML does not allow become U+FFFD (`xmlChars`); `&`, `<`, `>` are escaped. */
export function escapeText(text: string): string {
  return xmlChars(text).replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** XML attribute values (always double-quoted): also `"` and `'`. */
export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
