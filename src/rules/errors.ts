/**
 * Errors are data: every problem has a `code`, a `path` and a `message`, and `formatIssues`
 * prints them for people (`stages[3].trigger.day: must be 1–31 (got 32)`).
 */

/** One problem, at one place. */
export interface Issue {
  /** Machine-readable kind, e.g. `too_big`, `unknown_stage`. */
  code: string;
  /** Where, in dotted form: `stages[3].trigger.day`; empty for the whole document. */
  path: string;
  /** What is wrong and what it must be. */
  message: string;
}

/**
 * Base class of every error this library throws on purpose: what went wrong as data (`code`, and
 * `path` where the problem has a place: an argument's name, a field, `closures[2]`) and a message
 * for people. One subclass per kind of failure, each with an `isXError` guard (as ky does:
 * `HTTPError`, `TimeoutError`, `isHTTPError`); the codes are listed in docs/cli.md, "Error codes".
 * Catch the base (`isPropertyDunningError`) to tell the library's refusals from bugs.
 */
export class PropertyDunningError extends Error {
  readonly code: string;
  /** Where, in dotted form (`shard.count`, `closures[2]`); empty when the whole input is at fault. */
  readonly path: string;
  constructor(code: string, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PropertyDunningError";
    this.code = code;
    this.path = options.path ?? "";
  }
}

/** A policy that does not validate. `issues` lists every problem, not only the first. */
export class PolicyError extends PropertyDunningError {
  declare readonly code: "invalid_policy";
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], source?: string) {
    super("invalid_policy", `${source ? `${source}: ` : ""}invalid policy\n${formatIssues(issues, "  ")}`);
    this.name = "PolicyError";
    this.issues = issues;
  }
}

/** What an {@link InvalidArgumentError} can say about an argument, by `code`. */
export const ARGUMENT_ERROR_CODES = {
  invalid_date: "a date that is not a real calendar date YYYY-MM-DD",
  invalid_time_zone: "a time zone that is not an IANA zone name (Asia/Shanghai)",
  invalid_range: "a period whose end is before its start",
  invalid_number: "a number outside its range (not an integer, negative, zero where a count is needed, too large)",
  invalid_option: "a value that is not one of those allowed (a format, an invariant's name, a cursor, a schema name)",
  policy_without_segment: "plan() given one policy that declares no segment (a shop must not get a flat's door postings by default)",
  mixed_currency: "policies given together (per segment, per estate) that count money in different currencies: a report cannot add their amounts",
} as const;
export type ArgumentErrorCode = keyof typeof ARGUMENT_ERROR_CODES;

/**
 * An argument a function cannot work with (a date `2026-02-30`, a shard index past the count, an
 * end before a start); `path` names the argument or option (`shard.index`).
 */
export class InvalidArgumentError extends PropertyDunningError {
  declare readonly code: ArgumentErrorCode;
  constructor(code: ArgumentErrorCode, path: string, message: string) {
    super(code, message, { path });
    this.name = "InvalidArgumentError";
  }
}

/** What a {@link CalendarError} can say, by `code`. */
export const CALENDAR_ERROR_CODES = {
  calendar_conflict: "a day listed both as a closure and as an extra working day",
  no_working_day: "a deadline that cannot move to a working day: the calendar closes a whole year",
} as const;
export type CalendarErrorCode = keyof typeof CALENDAR_ERROR_CODES;

/** A working calendar (a policy's closures and extra working days) that cannot answer: `path` names the list or the day. */
export class CalendarError extends PropertyDunningError {
  declare readonly code: CalendarErrorCode;
  constructor(code: CalendarErrorCode, path: string, message: string) {
    super(code, message, { path });
    this.name = "CalendarError";
  }
}

export function isPropertyDunningError(error: unknown): error is PropertyDunningError {
  return error instanceof PropertyDunningError;
}

export function isPolicyError(error: unknown): error is PolicyError {
  return error instanceof PolicyError;
}

export function isInvalidArgumentError(error: unknown): error is InvalidArgumentError {
  return error instanceof InvalidArgumentError;
}

export function isCalendarError(error: unknown): error is CalendarError {
  return error instanceof CalendarError;
}

/** Joins path segments the way people read them: `stages[3].trigger.day`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (typeof s === "string" && /^[A-Za-z_$][\w$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

/** One line per issue: `path: message`. */
export function formatIssues(issues: readonly Issue[], indent = ""): string {
  return issues.map((i) => `${indent}${i.path ? `${i.path}: ` : ""}${i.message}`).join("\n");
}
