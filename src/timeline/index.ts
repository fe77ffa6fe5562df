export { timelineModel, sampleAccount, laneOf, LANES } from "./model.js";
export type { TimelineOptions, TimelineModel, HoldSpan, LaneId, DoneAction } from "./model.js";
export { escapeText, escapeAttr, KIND_LABELS, KIND_COLORS } from "./text.js";
export { renderTimelineSvg, svgOfModel } from "./svg.js";
export { renderTimelineHtml } from "./html.js";
