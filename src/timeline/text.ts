/** How the timeline writes things: kind labels and colours, XML escaping (amounts: formatMinor). */
import type { StageKind } from "../rules/kinds.js";
import { xmlChars } from "../safe-text.js";

/** Labels people read; the ids stay in the table. */
export const KIND_LABELS: Readonly<Record<StageKind, string>> = {
  staffFollowUp: "staff follow-up",
  billingNotice: "billing notice",
  reminder: "reminder",
  phoneCall: "phone call",
  dunningNotice: "dunning notice",
  homeVisit: "home visit",
  formalLetter: "formal letter",
  finalNotice: "final notice",
  legalReview: "legal review",
  lawyerLetter: "lawyer's letter",
};

/** Fill colours by kind: informational blue, pressing orange, demands red, legal purple. */
export const KIND_COLORS: Readonly<Record<StageKind, string>> = {
  staffFollowUp: "#6b7280",
  billingNotice: "#2563eb",
  reminder: "#0891b2",
  phoneCall: "#d97706",
  dunningNotice: "#ea580c",
  homeVisit: "#ca8a04",
  formalLetter: "#dc2626",
  finalNotice: "#b91c1c",
  legalReview: "#7c3aed",
  lawyerLetter: "#6d28d9",
};

/** XML text content: characters XML does not allow become U+FFFD (`xmlChars`); `&`, `<`, `>` are escaped. */
export function escapeText(text: string): string {
  return xmlChars(text).replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** XML attribute values (always double-quoted): also `"` and `'`. */
export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
