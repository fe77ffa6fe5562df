/** Shared test helpers: built-in schedulers and a day-by-day planning loop. */
import { builtinPolicySource, type BuiltinPolicyId } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { AccountSnapshot, RecordedAction } from "../src/ledger/account.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { civilDate, formatCivilDate } from "../src/schedule/time/civil-date.js";
import { createScheduler, type Scheduler } from "../src/schedule/ladder/scheduler.js";

export function builtin(id: BuiltinPolicyId): Scheduler {
  return createScheduler(parsePolicy(builtinPolicySource(id)));
}

export function oneCharge(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    id: "A-1201",
    segment: "residential",
    unit: "8-2-1201",
    owner: { name: "王芳", tags: [] },
    charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }],
    payments: [],
    actions: [],
    ...overrides,
  };
}

export function record(action: PlannedAction, on: string): RecordedAction {
  return { id: action.id, stage: action.stage, on, covers: action.covers.map((c) => c.key), channels: [...action.channels] };
}

/**
 * Plans every day from `from` to `to` with `dueActions`, carrying out and recording each action
 * on the day it is planned, the way a vendor's nightly job would.
 */
export function runDaily(scheduler: Scheduler, account: AccountSnapshot, from: string, to: string): PlannedAction[] {
  const log: RecordedAction[] = [...(account.actions ?? [])];
  const out: PlannedAction[] = [];
  for (let d = civilDate(from); d <= civilDate(to); d++) {
    const day = formatCivilDate(d);
    for (const action of scheduler.dueActions({ ...account, actions: log }, day)) {
      out.push(action);
      log.push(record(action, day));
    }
  }
  return out;
}

/** The command line, run in-process: what it printed on stdout and stderr, and its exit code. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import("../src/cli/main.js");
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

export const brief = (actions: readonly PlannedAction[]) => actions.map((a) => `${a.plannedOn} ${a.kind} ${a.channels.join("+")}`);
