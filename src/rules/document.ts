/**
 * Checks on a policy document before the schema sees it: nesting depth and numbers JSON cannot
 * hold. Both walk the document with an explicit stack, never by recursion, so a hostile file
 * (1,000 nested `all` blocks, an array nested 100,000 deep) is reported as an issue instead of
 * overflowing the stack inside zod, which recurses once per level.
 */
import { formatPath, type Issue } from "./errors.js";

/** At most this many levels of `all`/`any`/`not` in a stage's conditions (docs/policy-reference.md). */
export const MAX_CONDITION_DEPTH = 32;
/** At most this many levels of objects and arrays anywhere in a policy file (docs/policy-reference.md). */
export const MAX_DOCUMENT_DEPTH = 100;

type Frame = { value: unknown; path: PropertyKey[] };

/**
 * Issues for a value nested more than `MAX_DOCUMENT_DEPTH` levels deep (the first such place) and
 * for every number that is not finite (a document built in code may hold Infinity or NaN).
 */
export function documentIssues(json: unknown): Issue[] {
  const issues: Issue[] = [];
  const stack: Frame[] = [{ value: json, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "number" && !Number.isFinite(value)) issues.push(notFinite(path, String(value)));
    if (typeof value !== "object" || value === null) continue;
    if (path.length >= MAX_DOCUMENT_DEPTH) {
      issues.push({ code: "too_deep", path: formatPath(path), message: `nested more than ${MAX_DOCUMENT_DEPTH} levels deep; no policy needs that many` });
      return issues;
    }
    for (const [key, child] of children(value).reverse()) stack.push({ value: child, path: [...path, key] });
  }
  return issues;
}

const children = (value: object): Array<[PropertyKey, unknown]> => (Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value));

const notFinite = (path: readonly PropertyKey[], raw: string): Issue => ({
  code: "not_finite",
  path: formatPath(path),
  message: `must be a finite number; a number this large cannot be represented (got ${raw})`,
});

/**
 * Issues for conditions nested more than `MAX_CONDITION_DEPTH` levels of `all`/`any`/`not`, at
 * the first group past the limit. Reads the raw document: run it before the schema.
 */
export function conditionDepthIssues(json: unknown): Issue[] {
  const stages = (json as { stages?: unknown } | null)?.stages;
  if (!Array.isArray(stages)) return [];
  const issues: Issue[] = [];
  stages.forEach((stage: unknown, i) => {
    const conditions = (stage as { conditions?: unknown } | null)?.conditions;
    const stack: Array<Frame & { depth: number }> = [{ value: conditions, path: ["stages", i, "conditions"], depth: 1 }];
    while (stack.length > 0) {
      const { value, path, depth } = stack.pop()!;
      if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
      const groups = (["all", "any", "not"] as const).filter((k) => Object.hasOwn(value, k));
      if (groups.length === 0) continue;
      if (depth > MAX_CONDITION_DEPTH) {
        issues.push({ code: "too_deep", path: formatPath(path), message: `conditions nest all/any/not more than ${MAX_CONDITION_DEPTH} levels deep` });
        return;
      }
      for (const k of groups) {
        const inner = (value as Record<string, unknown>)[k];
        if (Array.isArray(inner)) inner.forEach((c, j) => stack.push({ value: c, path: [...path, k, j], depth: depth + 1 }));
        else stack.push({ value: inner, path: [...path, k], depth: depth + 1 });
      }
    }
  });
  return issues;
}

/** Prefix of the string a number too large for a double stands in for while the text is parsed. */
const OVERFLOW_MARK = "\u0000property-dunning:number:";

/**
 * `JSON.parse`, reporting numbers too large for a double by their raw text. `JSON.parse` reads
 * `1e400` as Infinity (which JSON.stringify then prints as `null`); here each such literal is
 * read as a marked string, so the issue quotes what the file says, at its path. Text that already
 * holds the mark's escape (a raw NUL is not valid JSON, so only an escape could) is parsed plainly.
 * Throws what `JSON.parse` throws.
 */
export function parsePolicyText(text: string): { value: unknown; issues: Issue[] } {
  if (text.includes("\\u0000")) return { value: JSON.parse(text), issues: [] };
  let marked = false;
  // Number literals outside strings; a string is skipped whole, escapes included.
  const rewritten = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) => {
    if (token.startsWith('"') || Number.isFinite(Number(token))) return token;
    marked = true;
    return JSON.stringify(OVERFLOW_MARK + token);
  });
  const value: unknown = JSON.parse(marked ? rewritten : text);
  const issues: Issue[] = [];
  if (!marked) return { value, issues };
  // Find the marks (iteratively: the depth check has not run yet), in document order.
  const stack: Frame[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string" && v.startsWith(OVERFLOW_MARK)) issues.push(notFinite(path, v.slice(OVERFLOW_MARK.length)));
    else if (typeof v === "object" && v !== null && path.length < MAX_DOCUMENT_DEPTH) for (const [key, child] of children(v).reverse()) stack.push({ value: child, path: [...path, key] });
  }
  return { value, issues };
}
