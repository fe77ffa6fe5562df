/**
 * The end of the road in `report`: accounts by terminal state (handed to a collection agency, in
 * court or arbitration, written off) on the report day, by the scheduler's own rule
 * (schedule/ladder/terminal.ts): the last terminal stage carried out, not reopened since by a
 * payment on a later day or a person's `reopen` record.
 */
import type { Account } from "../ledger/account.js";
import { STAGE_KINDS, STAGE_KIND_TABLE, type TerminalState } from "../rules/kinds.js";
import type { CompiledPolicy } from "../schedule/ladder/compile.js";
import { DoneLog } from "../schedule/ladder/log.js";
import { hasTerminalStages, terminalStateOf } from "../schedule/ladder/terminal.js";
import type { EpochDay } from "../schedule/time/civil-date.js";

export interface TerminalRow {
  state: TerminalState;
  /** Accounts in this state on the report day. */
  accounts: number;
  /** Their overdue principal on the report day. */
  overdueMinor: number;
}

/** Every terminal state, in the stage kinds' order (ascending severity). */
const STATES: readonly TerminalState[] = STAGE_KINDS.flatMap((k) => {
  const state = STAGE_KIND_TABLE[k].terminal;
  return state === null ? [] : [state];
});

/** Counts accounts by terminal state, one account at a time, in constant memory. */
export class TerminalTally {
  private readonly rows = new Map<TerminalState, TerminalRow>(STATES.map((state) => [state, { state, accounts: 0, overdueMinor: 0 }]));
  /** Whether any account was planned under a policy that names a terminal stage. */
  private named = false;

  /**
   * Counts `account` (its overdue principal `overdueMinor` on `asOf`) if it is at the end of the
   * road on `asOf`. `account` as planning reads it (`PlanningScheduler.currentOn`): a terminal
   * stage renamed in a newer version counts under its new stage. Returns the day of its write-off, if one stands: the charges due before it are
   * written off (the report's limitation list leaves them out).
   */
  add(compiled: CompiledPolicy, account: Account, asOf: EpochDay, overdueMinor: number): EpochDay | undefined {
    if (!hasTerminalStages(compiled)) return undefined;
    this.named = true;
    if (account.actions.length === 0) return undefined;
    const view = terminalStateOf(compiled, account, DoneLog.fromRecorded(compiled, account, asOf + 1), asOf);
    if (!view) return undefined;
    const row = this.rows.get(view.state)!;
    row.accounts++;
    row.overdueMinor += overdueMinor;
    return view.writtenOffOn;
  }

  /** One row per terminal state, zeros included; none when no policy used names a terminal stage. */
  get result(): TerminalRow[] {
    return this.named ? [...this.rows.values()] : [];
  }
}
