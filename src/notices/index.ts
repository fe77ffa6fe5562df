export { renderNotice, formatMoney, formatDate, interpolate, POSTED_AMOUNT, type NoticeContext, type NoticeResult } from "./render.js";
export { TEMPLATES, REQUIRED_FIELDS, OWNER_KINDS, type Locale, type OwnerKind } from "./templates.js";
export { sanitizeText, maskName, LIMITS } from "./sanitize.js";
