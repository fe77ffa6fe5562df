/**
 * Time: civil dates as integer epoch days (no time, no zone), working calendars (weekends, the
 * State Council's public holidays and make-up working days 调休, the estate's closures),
 * deadlines moved off rest days (Civil Code arts. 201, 203), the window of a day in which a
 * channel may reach the owner, and frequency caps. The public functions take and return civil
 * dates (`YYYY-MM-DD`) and instants; the epoch-day forms are the planner's.
 */
export { civilDate, parseCivilDate, formatCivilDate, isCivilDate, addMonths, wholeMonthsBetween, type EpochDay } from "./civil-date.js";
export { createWorkingCalendar, workingCalendarOf, deadlineOn, deadlineAfter, deadlineDayOn, deadlineDayAfter, CN_COVERED_YEARS } from "./calendar.js";
export type { WorkingCalendar, WorkingCalendarOptions } from "./calendar.js";
export { contactWindow, actionWindow, checkFrequency, type ContactWindow, type ContactRecord, type FrequencyCheck } from "./contact.js";
