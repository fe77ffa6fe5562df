/**
 * Accounts in arrears by the stage of their last recorded action, in ladder order: the policy's
 * stages as it lists them, ladder by ladder (each charge's ladder, then the arrears ladder, then
 * the limitation stages, then the hold stages the scheduler adds), every stage of the ladder
 * shown even when no account stands there, so that a reader sees where accounts pile up.
 */
import type { StageKind } from "../rules/kinds.js";
import type { CompiledPolicy, StageLadder } from "../schedule/ladder/compile.js";
import type { Segment } from "../ledger/plan.js";

export interface StageRow {
  /** The segment whose policy the row belongs to: each segment's ladder is shown in its own order. */
  segment: Segment;
  stage: string;
  /** The stage's kind and ladder in the policy that lists it; `null` for a stage no policy used has: one its `continues` counts as no warning (an account whose recorded stage nothing names is skipped, as plan skips it). */
  kind: StageKind | null;
  ladder: StageLadder | null;
  /** Accounts with an overdue balance whose last recorded action (by `asOf`) was of this stage. */
  accounts: number;
  overdueMinor: number;
}

/** The ladders in the order the report shows them. */
export const LADDER_ORDER: readonly StageLadder[] = ["charge", "arrears", "limitation", "hold"];

/** Counts accounts by the stage of their last recorded action, in constant memory. */
export class StageTally {
  private readonly counts = new Map<Segment, Map<string, { accounts: number; overdue: number }>>();

  add(segment: Segment, stage: string, overdueMinor: number): void {
    let bySegment = this.counts.get(segment);
    if (!bySegment) this.counts.set(segment, (bySegment = new Map()));
    let row = bySegment.get(stage);
    if (!row) bySegment.set(stage, (row = { accounts: 0, overdue: 0 }));
    row.accounts++;
    row.overdue += overdueMinor;
  }

  /**
   * The rows of each segment (in the order given, with the policy its accounts follow) in ladder
   * order. A hold stage appears only when an account stands there; a stage the policy does not
   * name comes last in its segment, by name.
   */
  rows(policies: readonly (readonly [Segment, CompiledPolicy])[]): StageRow[] {
    const rows: StageRow[] = [];
    for (const [segment, compiled] of policies) {
      const counts = this.counts.get(segment) ?? new Map<string, { accounts: number; overdue: number }>();
      const seen = new Set<string>();
      for (const ladder of LADDER_ORDER)
        for (const s of compiled.stages) {
          if (s.ladder !== ladder || seen.has(s.id)) continue;
          const counted = counts.get(s.id);
          if (ladder === "hold" && !counted) continue;
          seen.add(s.id);
          rows.push({ segment, stage: s.id, kind: s.kind, ladder, accounts: counted?.accounts ?? 0, overdueMinor: counted?.overdue ?? 0 });
        }
      const unknown = [...counts.keys()].filter((id) => !seen.has(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const id of unknown) rows.push({ segment, stage: id, kind: null, ladder: null, accounts: counts.get(id)!.accounts, overdueMinor: counts.get(id)!.overdue });
    }
    return rows;
  }
}
