/**
 * A new version of a policy published while owners are between warnings (issue 18, item 1): the
 * file says which version it continues and what each stage of it that is gone or renamed has
 * become, so that actions recorded under the older text keep their meaning. The scheduler reads
 * a recorded action of a mapped stage as an action of its new stage, on the day it was carried
 * out (schedule/ladder/continues.ts); a recorded action whose stage neither the policy nor this
 * map knows is reported for its account, never ignored.
 */
import { z } from "zod";
import type { Issue } from "./errors.js";

const STAGE_ID = /^[a-z][a-z0-9_]{0,63}$/;

export const ContinuesSchema = z
  .strictObject({
    version: z.string().min(1).max(64).describe("The version this one follows (its `version`, e.g. 2026.1): the text under which the ledger's older actions were recorded."),
    stages: z
      .record(
        z.string().regex(STAGE_ID, { error: "must be a stage id of the older version: lower_snake_case" }),
        z.union([z.string().regex(STAGE_ID, { error: "must be a stage id of this policy, or null" }), z.null()]),
      )
      .describe(
        "Older stage id → what its recorded actions count as now: the id of a stage of this policy or of a `residualLateFee` step (a renamed stage or step, or the successor of a removed one: its warning counts as carried out on the day it was), or null (a removed stage whose actions count as no warning; they still count as contacts for frequency caps). A stage kept under its own id needs no entry.",
      ),
  })
  .describe(
    "How this version continues an older one while accounts are between warnings. Actions recorded under the older version keep their meaning: an account continues where it stood, no warning repeated, none skipped, gaps counted from the day each was carried out. A recorded action whose stage is neither a stage of this policy nor listed here is reported for its account (`unknown_stage`).",
  );

export type Continues = z.infer<typeof ContinuesSchema>;

/**
 * What the schema cannot say alone: every target is a stage of this policy, and no older id is
 * still one of its stages (a recorded action of it would have two meanings). `stageIds`: every id
 * a recorded action may name under this version: the stages and the `residualLateFee` steps.
 */
export function continuesIssues(continues: Continues | undefined, stageIds: readonly string[], reserved: readonly string[]): Issue[] {
  if (!continues) return [];
  const issues: Issue[] = [];
  const ids = new Set(stageIds);
  for (const [older, now] of Object.entries(continues.stages)) {
    const at = `continues.stages.${older}`;
    if (reserved.includes(older))
      issues.push({ code: "reserved_stage", path: at, message: `${JSON.stringify(older)} is the scheduler's own stage, the same in every version: it needs no entry` });
    else if (ids.has(older))
      issues.push({ code: "continued_stage_kept", path: at, message: `${JSON.stringify(older)} is still a stage of this policy: its recorded actions already count as it; remove the entry, or rename the stage` });
    else if (now !== null && !ids.has(now))
      issues.push({ code: "unknown_stage", path: at, message: `must name a stage of this policy or be null (got ${JSON.stringify(now)}; the stages are ${stageIds.join(", ")})` });
  }
  return issues;
}
