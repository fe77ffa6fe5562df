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

/** Base class of every error this library throws on purpose. */
export class PropertyDunningError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "PropertyDunningError";
    this.code = code;
  }
}

/** A policy that does not validate. `issues` lists every problem, not only the first. */
export class PolicyError extends PropertyDunningError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], source?: string) {
    super("invalid_policy", `${source ? `${source}: ` : ""}invalid policy\n${formatIssues(issues, "  ")}`);
    this.name = "PolicyError";
    this.issues = issues;
  }
}

export function isPropertyDunningError(error: unknown): error is PropertyDunningError {
  return error instanceof PropertyDunningError;
}

export function isPolicyError(error: unknown): error is PolicyError {
  return error instanceof PolicyError;
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
