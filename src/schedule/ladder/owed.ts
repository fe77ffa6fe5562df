/**
 * What one unit owes on a day, as a notice states it: each overdue charge with what is left of
 * its principal under the policy's payment order and its late fee (accrued less paid), and the
 * totals. The same amounts an action lists for its overdue charges (deliver.ts), asked of a unit
 * that has no action that day: an owner's one notice lists every unit that owes
 * (src/schedule/owners/coordinate.ts). Charges a hold keeps from being pressed are left out, and
 * a unit at the end of the road owes nothing the estate may put to the owner.
 */
import { exactSum, UnsafeAmountError, type Account } from "../../ledger/account.js";
import { unpaidOldestFirst } from "../fees/allocation.js";
import { formatDay, type EpochDay } from "../time/civil-date.js";
import type { ActionCharge } from "./action.js";
import type { CompiledPolicy } from "./compile.js";
import { lateFeesOf } from "./deliver.js";
import { heldOn, holdView } from "./holds.js";
import { DoneLog } from "./log.js";
import { terminalStateOf } from "./terminal.js";

/** A unit's overdue amounts on a day, in minor units; `charges` are the overdue ones, oldest first. */
export interface UnitOwed {
  overdueMinor: number;
  lateFeeMinor: number;
  /** `overdueMinor + lateFeeMinor`: what the unit owes now. */
  totalMinor: number;
  charges: ActionCharge[];
}

/** `account`'s overdue amounts on `asOf` under `compiled`'s payment order and late-fee clause; throws `UnsafeAmountError` for a total past the exact range. */
export function owedOnDay(compiled: CompiledPolicy, account: Account, asOf: EpochDay): UnitOwed {
  const unpaid = unpaidOldestFirst(account.charges, account.payments, asOf);
  let principalOverdue = 0;
  for (let i = 0; i < account.charges.length; i++) if (unpaid[i]! > 0 && account.charges[i]!.due < asOf) principalOverdue += unpaid[i]!;
  // Payments are counted up to and including `asOf`; notices (for a fee waiver) likewise.
  const log = DoneLog.fromRecorded(compiled, account, asOf + 1);
  // At the end of the road (an agency, a court, a write-off: terminal.ts) the estate says nothing
  // more to the owner about this unit until it is reopened: not on another unit's notice either.
  if (terminalStateOf(compiled, account, log, asOf) !== undefined) return { overdueMinor: 0, lateFeeMinor: 0, totalMinor: 0, charges: [] };
  const fees = lateFeesOf(compiled, account, asOf, { overdueMinor: principalOverdue, log });
  // A charge a hold keeps from being pressed (an open dispute or a pending promise, a kept
  // instalment plan's charges) is not put to the owner on another unit's notice either: asked of
  // the unit's first dunning stage that reaches the owner, as the ladder asks it (holds.ts).
  const pressing = compiled.stages.find((cs) => cs.dunning && !cs.staff);
  const view = pressing && account.holds.length > 0 ? holdView(compiled, account, asOf, log) : undefined;
  const charges: ActionCharge[] = [];
  let overdueMinor = 0;
  let lateFeeMinor = 0;
  for (let i = 0; i < account.charges.length; i++) {
    const c = account.charges[i]!;
    if (c.due >= asOf) continue; // not yet overdue
    if (view && heldOn(compiled, view, pressing!, c.id)) continue;
    const balance = fees?.balances![i];
    const rest = balance ? balance.principalUnpaidMinor : unpaid[i]!;
    const fee = balance ? Math.max(0, fees!.charges[i]!.amountMinor - balance.lateFeePaidMinor) : 0;
    if (rest === 0 && fee === 0) continue;
    charges.push({ id: c.id, period: c.period, dueOn: formatDay(c.due), amountMinor: c.amount, unpaidMinor: rest, lateFeeMinor: fee, overdue: true });
    overdueMinor += rest;
    lateFeeMinor += fee;
  }
  const totalMinor = overdueMinor + lateFeeMinor;
  if (!exactSum(totalMinor)) throw new UnsafeAmountError("charges", `what account ${account.id} owes (overdue charges and late fees)`);
  return { overdueMinor, lateFeeMinor, totalMinor, charges };
}
