/** How the timeline writes things: kind labels and colours, XML escaping (from text/xml.ts; amounts: formatMinor). */
import { STAGE_KINDS, STAGE_KIND_TABLE, type StageKind } from "../rules/kinds.js";

/** Labels people read (the kind's English label); the ids stay in the table. */
export const KIND_LABELS: Readonly<Record<StageKind, string>> = Object.freeze(
  Object.fromEntries(STAGE_KINDS.map((k) => [k, STAGE_KIND_TABLE[k].label.en])) as Record<StageKind, string>,
);

/** Fill colours by kind (`StageKindInfo.color`): informational blue, pressing orange, demands red, legal purple. */
export const KIND_COLORS: Readonly<Record<StageKind, string>> = Object.freeze(
  Object.fromEntries(STAGE_KINDS.map((k) => [k, STAGE_KIND_TABLE[k].color])) as Record<StageKind, string>,
);

/** The escaping lives in text/ (the report's page uses it too). */
export { escapeText, escapeAttr } from "../text/xml.js";
