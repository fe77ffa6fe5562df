/**
 * When a gap applies: how far a warning is kept from the warning before it in its ladder.
 *
 * S2's days are calendar days ("当月25日", "次月25日", "次月5日"; DOMAIN.md, "How ambiguous
 * sentences are read", decided 2026-12-06). A warning is due on its own calendar day. One whose
 * day falls on or before the charge's due date (a charge due on the 31st, or on 28 February) is
 * first owed on the day after the due date, and that is not lateness. Only when the warning before
 * it was carried out later than it was first owed (planning started late, a hold, a wait for a
 * working day, a cap) is the next one also kept the regular gap after the day that warning was
 * actually carried out: the owner still gets S2's spacing between the two, and a protected owner
 * whose visits wait for working days may drift a few days later than S2's months (lenient, never
 * harsher). A gap the policy states (`minGapDays`, `afterStage` days) is always kept.
 *
 *   due 2026-03-31: dunning 03-25 → first owed 04-01, on time; final notice on its own 04-25
 *   due 2026-03-01, planning first run on 05-10: dunning 05-10, late; final 31 days later, 06-10
 */
import type { Charge } from "../../ledger/account.js";
import type { EpochDay } from "../time/civil-date.js";
import type { CompiledStage } from "./compile.js";

/**
 * The day an instance whose trigger gives `day` is first owed: a warning that presses for payment
 * (and every step of the arrears ladder), not before the day after its charge's due date.
 */
export function firstOwed(cs: CompiledStage, charge: Charge, day: EpochDay): EpochDay {
  return (cs.dunning || cs.ladder === "arrears") && day <= charge.due ? charge.due + 1 : day;
}

/**
 * The days `cs`, anchored on `charge`, is kept after its predecessor `pred`, carried out on
 * `predOn`: when `pred` was late (carried out after it was first owed), or the policy states a
 * gap, that gap: the stated one, else the regular one (`regular − predRegular`, the two stages'
 * trigger-only days for this charge); when `pred` was on time, the days from `predOn` to `owed`,
 * the day `cs` is first owed (at least one: never on the same day). The instance is due `predOn`
 * plus this many days, or on `owed` if that is later. A number, not an object: this runs for every
 * unpaid charge's every warning whose predecessor is done, on every planning day.
 */
export function gapAfter(cs: CompiledStage, pred: CompiledStage, charge: Charge, owed: EpochDay, regular: EpochDay, predRegular: EpochDay, predOn: EpochDay): number {
  if (cs.gap !== undefined) return cs.gap;
  const late = predOn > firstOwed(pred, charge, predRegular);
  return late ? Math.max(1, regular - predRegular) : Math.max(1, owed - predOn);
}
