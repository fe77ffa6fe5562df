/**
 * The end of the road (issue 18): after a terminal stage (a hand-over to a collection agency, a
 * lawsuit or arbitration, a write-off: `StageKindInfo.terminal` in rules/kinds.ts) the ladder
 * says nothing more to the owner. A person has taken the account over; notices from the estate
 * beside an agency's or a court's would only confuse the owner and the case.
 *
 * - What stops: every owner-facing stage, for the whole account (charges billed later too), and
 *   every other terminal stage but the one that follows the step that stands (a write-off
 *   `afterStage` a hand-over): an agency is not sent beside a lawsuit.
 *   Staff stages go on: DOMAIN.md, "An internal staff action never waits for the owner's ladder"
 *   (the review before a limitation date exists because the ladder may be late, and a terminal
 *   step may not have gone ahead: a person confirms it before the claim expires; a dispute's
 *   follow-up still waits for an answer).
 * - A write-off (`writesOff`) ends the debt it writes off: no stage at all, staff ones included,
 *   for the charges overdue on the day it was carried out.
 * - Until: payments received on later days than the last terminal action that together clear
 *   what was overdue on its day (the debt the agency, the court or the write-off was about is
 *   paid; a payment on the same day was known when the step was decided), or a person's
 *   reopening record, an action recorded with the reserved stage `reopen` on or after that day.
 *   A part payment does not reopen: a token amount would otherwise bring the owner's notices
 *   back beside a lawsuit, and let a lighter terminal step follow a harsher one (found by
 *   `verify` on examples/recipes/end-of-the-road.json); a person who judges it enough records
 *   `reopen`. The ladder then resumes where it stood: what was carried out stays carried out.
 * - A terminal stage is itself addressed to staff, but it is the end of the owner's ladder: it
 *   waits for whatever holds that ladder (an open dispute, a pending promise). That is the hold
 *   rule's (holds.ts `holdPauses`), which planning asks before this stop; here it waits for the
 *   day after one where the owner was reached.
 *
 * The stop counts from the terminal action's record: an owner-facing action planned the same day
 * before it was recorded (a forecast, a nightly run) is not taken back.
 */
import type { Account, Charge } from "../../ledger/account.js";
import { STAGE_KIND_TABLE, type TerminalState } from "../../rules/kinds.js";
import { REOPEN_STAGE_ID } from "../../rules/parse.js";
import type { EpochDay } from "../time/civil-date.js";
import type { CompiledPolicy, CompiledStage } from "./compile.js";
import { overdueAt } from "./holds.js";
import type { DoneLog } from "./log.js";

/** Where an account stands at the end of the road on a day. */
export interface TerminalView {
  state: TerminalState;
  /** The last terminal stage carried out, and its day. */
  stage: string;
  on: EpochDay;
  /** The day of the write-off in this episode, if any: charges due before it are written off. */
  writtenOffOn: EpochDay | undefined;
}

const terminalStagesCache = new WeakMap<CompiledPolicy, readonly CompiledStage[]>();

/** The policy's terminal stages (none for the built-ins: planning is then untouched). */
function terminalStages(compiled: CompiledPolicy): readonly CompiledStage[] {
  let stages = terminalStagesCache.get(compiled);
  if (!stages) terminalStagesCache.set(compiled, (stages = compiled.stages.filter((cs) => STAGE_KIND_TABLE[cs.kind].terminal !== null)));
  return stages;
}

/** Whether the policy names a terminal stage at all (the built-ins do not). */
export function hasTerminalStages(compiled: CompiledPolicy): boolean {
  return terminalStages(compiled).length > 0;
}

/**
 * The account's state on `asOf` from what was carried out (`log`: every action up to `asOf`) and
 * its payments; undefined when it is not at the end of the road.
 */
export function terminalStateOf(compiled: CompiledPolicy, account: Pick<Account, "charges" | "payments">, log: DoneLog, asOf: EpochDay): TerminalView | undefined {
  const stages = terminalStages(compiled);
  if (stages.length === 0) return undefined;
  // Events of the day in this order: the terminal step, then a reopening, then a payment.
  const events: Array<{ on: EpochDay; order: 0 | 1 | 2; cs?: CompiledStage; amount?: number }> = [];
  for (const cs of stages) for (const on of log.byStage.get(cs.id) ?? []) if (on <= asOf) events.push({ on, order: 0, cs });
  if (events.length === 0) return undefined;
  for (const on of log.byStage.get(REOPEN_STAGE_ID) ?? []) if (on <= asOf) events.push({ on, order: 1 });
  for (const p of account.payments) if (p.on <= asOf) events.push({ on: p.on, order: 2, amount: p.amount });
  events.sort((a, b) => a.on - b.on || a.order - b.order || (a.cs && b.cs ? a.cs.severity - b.cs.severity : 0));
  let view: TerminalView | undefined;
  let owed = 0; // what is still to pay, since the last terminal step, of what was overdue on its day
  for (const e of events) {
    if (e.cs) {
      const row = STAGE_KIND_TABLE[e.cs.kind];
      view = { state: row.terminal!, stage: e.cs.id, on: e.on, writtenOffOn: row.writesOff ? e.on : view?.writtenOffOn };
      owed = overdueAt(account, e.on);
    } else if (view && e.order === 1 && e.on >= view.on) view = undefined;
    else if (view && e.order === 2 && e.on > view.on && (owed -= e.amount!) <= 0) view = undefined;
  }
  return view;
}

/** The part of a stage instance the stop looks at (plan-day.ts's `Candidate`). */
interface Due {
  cs: CompiledStage;
  charge: Charge | undefined;
}

/**
 * The day's due stage instances without those the end of the road stops (see the file's
 * comment); `candidates` itself when nothing is stopped. The hook in plan-day.ts.
 */
export function afterTerminal<C extends Due>(compiled: CompiledPolicy, account: Account, asOf: EpochDay, log: DoneLog, candidates: C[]): C[] {
  if (candidates.length === 0 || terminalStages(compiled).length === 0) return candidates;
  const view = terminalStateOf(compiled, account, log, asOf);
  const keep = (c: C): boolean => {
    // A terminal step ends the owner's ladder: what holds that ladder holds it (holds.ts, asked by
    // the planner before this), and it waits for the day after one where the owner was reached
    // (the outcome of a call a person must see first; and planning the day again once that call
    // is recorded must not bring the step up: the plan of a day is the same before and after
    // recording it).
    if (STAGE_KIND_TABLE[c.cs.kind].terminal !== null && log.actedOn(asOf, false)) return false;
    if (!view) return true;
    if (!c.cs.staff) return false;
    // Another terminal step only as the next one after the step that stands (a write-off after a
    // hand-over), never as an alternative to it (a hand-over beside a lawsuit).
    if (STAGE_KIND_TABLE[c.cs.kind].terminal !== null && (c.cs.pred < 0 || compiled.stages[c.cs.pred]!.id !== view.stage)) return false;
    return !(view.writtenOffOn !== undefined && c.charge !== undefined && c.charge.due < view.writtenOffOn);
  };
  return candidates.every(keep) ? candidates : candidates.filter(keep);
}
