/**
 * The staff's review before each charge's limitation date (Civil Code art. 188): a person decides
 * on a written demand, a plan, a lawsuit or a write-off while the debt can still be claimed.
 *
 * It is internal (addressed to staff; nothing reaches the owner) and it exists because the
 * owner's ladder may be late: so it waits for nothing that ladder does (no warning before it, no
 * written demand's deadline: DOMAIN.md), and no hold stops it. A hold pauses what is done to the
 * owner, but the limitation period runs on through it (art. 194 suspends it only for force
 * majeure, incapacity and the like), so a hold is one more way a debt could expire unnoticed; the
 * holds in force travel with the review in `because`. What does stop it is the law's own: the
 * charge paid in full, or its period restarted (a delivered written demand, a partial payment, an
 * installment plan, a filed lawsuit or arbitration: art. 195), which moves the date, and the
 * review with it, three years on (for a lawsuit, three years from filing: the earliest the period
 * restarted at the proceedings' end can end).
 */
import type { Account } from "../../ledger/account.js";
import { addMonths, type EpochDay } from "../time/civil-date.js";
import type { CompiledPolicy, CompiledStage } from "../ladder/compile.js";
import { limitationDatesFromTerms, plansOf } from "./limitation.js";
import type { DoneLog } from "../ladder/log.js";

/** A stage before limitation due today for one charge (plan-day.ts turns it into a candidate). */
export interface DueBeforeLimitation {
  cs: CompiledStage;
  /** The charge's position in the account. */
  charge: number;
  /** The policy's lead time before the limitation date; on or after the charge fell due. */
  regular: EpochDay;
  due: EpochDay;
  note: string;
}

/**
 * The `beforeLimitation` stages due on `asOf`: for each unpaid, overdue charge whose limitation
 * date is still ahead (or today) and whose instance was not carried out yet, once the day `days`
 * before that date has come; a late start catches up at once. `unpaid`: each charge's principal
 * unpaid on `asOf`. Only the law's stops apply here; plan-day.ts holds an owner-facing stage of
 * this ladder like any other, and lets a staff one (the review) through.
 */
export function dueBeforeLimitation(compiled: CompiledPolicy, account: Account, asOf: EpochDay, unpaid: readonly number[], log: DoneLog): DueBeforeLimitation[] {
  const out: DueBeforeLimitation[] = [];
  if (compiled.limitationStages.length === 0) return out;
  const { charges } = account;
  let oldest = -1;
  for (let i = 0; i < charges.length; i++)
    if (unpaid[i]! > 0 && charges[i]!.due < asOf) {
      oldest = i;
      break;
    }
  if (oldest < 0) return out;
  let report: ReturnType<typeof limitationDatesFromTerms> | undefined;
  for (const cs of compiled.limitationStages) {
    const days = (cs.trigger as { days: number }).days;
    // Cheap bound first: restarts only move a date later, and the oldest unpaid charge's
    // unrestarted date is the earliest any unpaid charge can have.
    if (addMonths(charges[oldest]!.due, 12 * compiled.limitationYears) - days > asOf) continue;
    report ??= limitationDatesFromTerms(withActions(account, log.entries), {
      years: compiled.limitationYears,
      asOf,
      stageKindOf: (id) => compiled.byId.get(id)?.kind,
      plans: plansOf(account),
      isWorkingDay: (d) => compiled.calendar.isStatutoryWorkingDay(d),
    });
    report.charges.forEach((c, i) => {
      const charge = charges[i]!;
      if (c.paidInFull || unpaid[i]! <= 0 || charge.due >= asOf) return;
      // Past its last day nothing is left to save; `report` lists the charge as expired.
      if (c.endsOnDay < asOf || c.endsOnDay - days > asOf) return;
      if (log.chargeDone(i, cs.index) !== undefined) return;
      const regular = c.endsOnDay - days;
      out.push({ cs, charge: i, regular, due: Math.max(regular, charge.due + 1), note: `limitation period of ${c.chargeId} ends ${c.endsOn}` });
    });
  }
  return out;
}

/** The account with another action log. */
function withActions(account: Account, actions: Account["actions"]): Account {
  return { ...account, actions };
}
