/**
 * Accounts in arrears by the stage of their last recorded action, in ladder order: the policy's
 * stages as it lists them, ladder by ladder (each charge's ladder, then the arrears ladder, then
 * the limitation stages, then the hold stages the scheduler adds), every stage of the ladder
 * shown even when no account stands there, so that a reader sees where accounts pile up.
 *
 * One group of rows per ladder: per segment, and per estate and segment for the accounts an
 * estate's own policy plans (`ReportOptions.estates`), each in its own policy's order. The
 * accounts of a segment that follow the segment's policy (given, or the built-in) share its
 * group, whatever estate they name.
 */
import type { StageKind } from "../rules/kinds.js";
import type { CompiledPolicy, StageLadder } from "../schedule/ladder/compile.js";
import { SEGMENTS, type Segment } from "../ledger/policy-choice.js";

export interface StageRow {
  /** The segment whose policy the row belongs to: each segment's ladder is shown in its own order. */
  segment: Segment;
  /** The estate whose own policy (`ReportOptions.estates`) planned the row's accounts, its ladder in that policy's order; absent for the segment's policy (given, or the built-in). */
  estate?: string;
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

interface Group {
  segment: Segment;
  estate: string | undefined;
  compiled: CompiledPolicy;
  counts: Map<string, { accounts: number; overdue: number }>;
}

/** Counts accounts by the stage of their last recorded action, in memory that grows with the groups (segments and estates), not the accounts. */
export class StageTally {
  private readonly groups = new Map<string, Group>();

  /** The group of an account reported under `compiled` (its segment's, or with `estate` its estate's own): every group seen is shown, zeros included. */
  group(segment: Segment, estate: string | undefined, compiled: CompiledPolicy): Group {
    const key = estate === undefined ? segment : `${segment}\u0000${estate}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { segment, estate, compiled, counts: new Map() }));
    return g;
  }

  add(group: Group, stage: string, overdueMinor: number): void {
    let row = group.counts.get(stage);
    if (!row) group.counts.set(stage, (row = { accounts: 0, overdue: 0 }));
    row.accounts++;
    row.overdue += overdueMinor;
  }

  /**
   * The rows of each group in ladder order: segments in `SEGMENTS` order, within one the
   * segment's policy first, then each estate's own by its id. A hold stage appears only when an
   * account stands there; a stage the policy does not name comes last in its group, by name.
   */
  rows(): StageRow[] {
    const rows: StageRow[] = [];
    const groups = [...this.groups.values()].sort((a, b) => SEGMENTS.indexOf(a.segment) - SEGMENTS.indexOf(b.segment) || byId(a.estate ?? "", b.estate ?? ""));
    for (const { segment, estate, compiled, counts } of groups) {
      const where = estate === undefined ? { segment } : { segment, estate };
      const seen = new Set<string>();
      for (const ladder of LADDER_ORDER)
        for (const s of compiled.stages) {
          if (s.ladder !== ladder || seen.has(s.id)) continue;
          const counted = counts.get(s.id);
          if (ladder === "hold" && !counted) continue;
          seen.add(s.id);
          rows.push({ ...where, stage: s.id, kind: s.kind, ladder, accounts: counted?.accounts ?? 0, overdueMinor: counted?.overdue ?? 0 });
        }
      const unknown = [...counts.keys()].filter((id) => !seen.has(id)).sort(byId);
      for (const id of unknown) rows.push({ ...where, stage: id, kind: null, ladder: null, accounts: counts.get(id)!.accounts, overdueMinor: counts.get(id)!.overdue });
    }
    return rows;
  }
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
