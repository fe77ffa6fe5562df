/**
 * Collection measures no policy may contain. Civil Code art. 944 (3): the property service
 * provider "不得采取停止供电、供水、供热、供燃气等方式催交物业费"; local regulations also ban
 * rationing supply and blocking gates, lifts, home entry or parking. There is no stage kind or
 * channel for any of them; this check makes an attempt fail with the reason, not with
 * "must be one of …".
 */
import type { Issue } from "./errors.js";

const FORBIDDEN =
  /(cut|stop|suspend|disconnect|shut|block|lock|deny|restrict|ration|limit)[\s_-]?(off[\s_-]?)?(water|electric|power|heat|gas|supply|utilit|gate|lift|elevator|entry|access|parking|car)|停水|停电|断水|断电|停气|断气|停暖|停止供|限水|限电|锁门|封门|停梯|禁止.{0,4}(进入|入户|停车|通行)/i;

export const FORBIDDEN_MEASURE_MESSAGE =
  "cutting or rationing water, electricity, heating or gas, or blocking gates, lifts, home entry or parking to collect fees is forbidden (Civil Code art. 944; local property-management regulations): no policy may contain it";

/** Issues for every stage kind, channel or id in a policy file that names a forbidden measure. */
export function forbiddenMeasures(json: unknown): Issue[] {
  const stages = (json as { stages?: unknown })?.stages;
  if (!Array.isArray(stages)) return [];
  const issues: Issue[] = [];
  stages.forEach((stage: unknown, i) => {
    if (!stage || typeof stage !== "object") return;
    const s = stage as Record<string, unknown>;
    for (const field of ["id", "kind", "title"] as const)
      if (typeof s[field] === "string" && FORBIDDEN.test(s[field] as string))
        issues.push({ code: "forbidden_measure", path: `stages[${i}].${field}`, message: FORBIDDEN_MEASURE_MESSAGE });
    if (Array.isArray(s.channels))
      s.channels.forEach((c, j) => {
        if (typeof c === "string" && FORBIDDEN.test(c)) issues.push({ code: "forbidden_measure", path: `stages[${i}].channels[${j}]`, message: FORBIDDEN_MEASURE_MESSAGE });
      });
  });
  return issues;
}
