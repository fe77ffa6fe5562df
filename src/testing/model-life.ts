/**
 * The life the model-based test (./model.ts) lives: the model's state (the day, the open
 * disputes) and the real one (the account, its action log, what was planned and carried out),
 * and the checks that run after every command. Commands live in ./model.ts (days, payments,
 * tags) and ./model-holds.ts (disputes, promises, plans).
 */
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot, RecordedAction } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { formatCivilDate, type EpochDay } from "../schedule/time/civil-date.js";
import type { Scheduler } from "../schedule/ladder/scheduler.js";
import type { Finding, Run } from "./checks.js";

export interface Model {
  day: EpochDay;
  end: EpochDay;
  /** Disputes opened and not yet closed (a close needs one). */
  openDisputes: number;
}

/** A check over the life so far; `today` is the last day planned (what is after it has not happened). */
export type ModelCheck = (run: Run, today: string) => Finding | undefined;

export interface Real {
  policy: Policy;
  scheduler: Scheduler;
  /** Each check, and whether it reads every action planned or only those carried out. */
  checks: ReadonlyArray<[ModelCheck, "planned" | "carried"]>;
  account: AccountSnapshot;
  log: RecordedAction[];
  planned: PlannedAction[];
  carried: PlannedAction[];
  dueDay: number;
  amount: number;
  start: EpochDay;
  day: EpochDay;
}

/** A check failed: the run stops there and reports the finding. */
export class Violated extends Error {
  constructor(readonly finding: Finding) {
    super(finding.error);
  }
}

/** Runs every check over the life so far; throws `Violated` on the first finding. */
export function verify(r: Real): void {
  const today = formatCivilDate(r.day);
  for (const [check, which] of r.checks) {
    const finding = check({ policy: r.policy, account: r.account, actions: which === "planned" ? r.planned : r.carried }, today);
    if (finding) throw new Violated(finding);
  }
}

/** The civil date of the next day planned: what the ledger gains now (a payment, a hold) counts from then. */
export function tomorrow(m: Readonly<Model>): string {
  return formatCivilDate(m.day + 1);
}
