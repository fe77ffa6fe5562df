/** Turns zod's issues into this library's `Issue`s: one per problem, with a readable path. */
import type { core } from "zod";
import { formatPath, type Issue } from "./errors.js";
import { nearestWord } from "./nearest.js";

type ZodIssue = core.$ZodIssue & { input?: unknown };

function shown(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return undefined;
}

/** What a value is, for "(got …)": the value itself when short, else its kind with an article. */
function described(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return shown(value) ?? (typeof value === "object" ? "an object" : `a ${typeof value}`);
}

const withArticle = (noun: string) => `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;

function isStructural(issue: ZodIssue): boolean {
  return (
    (issue.code === "unrecognized_keys" && issue.path.length === 0) ||
    (issue.code === "invalid_type" && issue.path.length === 1 && issue.input === undefined)
  );
}

/** For a union (json-rules-engine conditions), report the branch the author evidently meant. */
function bestBranch(branches: ZodIssue[][]): ZodIssue[] {
  let best: ZodIssue[] = branches[0] ?? [];
  let bestScore = Infinity;
  for (const branch of branches) {
    const score = branch.filter(isStructural).length * 1000 + branch.length;
    if (score < bestScore) (best = branch), (bestScore = score);
  }
  return best;
}

function message(issue: ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_type":
      if (issue.input === undefined) return `is required (${issue.expected})`;
      return `must be ${issue.expected === "int" ? "a whole number" : withArticle(issue.expected)} (got ${described(issue.input)})`;
    case "invalid_value": {
      // A mistyped word (a stage kind, a channel) names the one it is nearest to.
      const words = issue.values.filter((v): v is string => typeof v === "string");
      const got = shown(issue.input);
      const near = typeof issue.input === "string" ? nearestWord(issue.input, words) : undefined;
      const tail = got === undefined ? "" : ` (got ${got}${near ? `; did you mean ${JSON.stringify(near)}?` : ""})`;
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${tail}`;
    }
    default: {
      const got = shown(issue.input);
      return got === undefined ? issue.message : `${issue.message} (got ${got})`;
    }
  }
}

export function fromZodIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      out.push(...fromZodIssues(bestBranch(issue.errors as ZodIssue[][]), path));
    } else {
      out.push({ code: issue.code, path: formatPath(path), message: message(issue) });
    }
  }
  return out;
}
