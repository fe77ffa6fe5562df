/**
 * Fees: payments allocated to charges (oldest first; the statutory order of Civil Code art. 561 or
 * the contract's), late fees (滞纳金 / 违约金) exact to the minor unit and explained row by row,
 * limitation dates (诉讼时效, arts. 188, 195) and the staff's review before them, and money as
 * text for every output.
 */
export { computeLateFees, limitationDates } from "./money.js";
export { lateFeeTimeline, type LateFeeReport, type ChargeLateFee, type AccrualRow, type TimelineRow } from "./late-fees.js";
export { allocatePayments, unpaidOldestFirst, type Allocation, type AllocationOrder, type PaymentAllocation, type AllocationLine } from "./allocation.js";
export type { LimitationReport, ChargeLimitation } from "./limitation.js";
export { formatMinor } from "./money-text.js";
