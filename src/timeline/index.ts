export { renderTimelineSvg, timelineModel, svgOfModel, sampleAccount, laneOf, formatAmount, escapeText, escapeAttr, KIND_LABELS, KIND_COLORS, LANES } from "./svg.js";
export type { TimelineOptions, TimelineModel, HoldSpan, LaneId } from "./svg.js";
export { renderTimelineHtml } from "./html.js";
