/**
 * Debts near their limitation date (诉讼时效, Civil Code art. 188, 195) in `report`: each unpaid
 * charge whose last day to claim falls within the report's window, earliest first, and a count of
 * those already past it. The dates are the account's own policy's (`limitationDaysOf`: its
 * `limitationYears`, its stages that restart the period); written-off charges are left out.
 */
import type { Account } from "../ledger/account.js";
import type { LimitationReportOnDays } from "../schedule/fees/limitation.js";
import type { EpochDay } from "../schedule/time/civil-date.js";

export interface LimitationDebt {
  accountId: string;
  unit?: string;
  ownerName?: string;
  chargeId: string;
  dueOn: string;
  /** The last day the charge can be claimed (restarts counted). */
  endsOn: string;
  daysLeft: number;
  unpaidMinor: number;
}

/** Gathers the debts account by account; memory grows with the debts listed, not the accounts read. */
export class LimitationList {
  private readonly debts: LimitationDebt[] = [];
  readonly expired = { charges: 0, unpaidMinor: 0 };

  constructor(
    private readonly asOf: EpochDay,
    private readonly withinDays: number,
  ) {}

  /**
   * `account`'s charges by their limitation dates (`limitation`, under its policy), with what is
   * unpaid of each on the report day (`unpaidById`); `writtenOffOn`: the day of a write-off that
   * stands (terminal.ts), whose charges nobody will claim.
   */
  add(account: Account, limitation: LimitationReportOnDays, unpaidById: ReadonlyMap<string, number>, writtenOffOn: EpochDay | undefined): void {
    for (const c of limitation.charges) {
      const unpaid = unpaidById.get(c.chargeId) ?? 0;
      if (c.paidInFull || unpaid <= 0) continue;
      // Written off (terminal.ts: the charges due before the write-off): nobody will claim it, so no date to watch.
      if (writtenOffOn !== undefined && account.charges.some((ch) => ch.id === c.chargeId && ch.due < writtenOffOn)) continue;
      const daysLeft = c.endsOnDay - this.asOf;
      if (daysLeft < 0) (this.expired.charges++, (this.expired.unpaidMinor += unpaid));
      else if (daysLeft <= this.withinDays) {
        const owner = account.snapshot.owner?.name;
        this.debts.push({
          accountId: account.id,
          ...(account.snapshot.unit !== undefined ? { unit: account.snapshot.unit } : {}),
          ...(owner !== undefined ? { ownerName: owner } : {}),
          chargeId: c.chargeId,
          dueOn: c.dueOn,
          endsOn: c.endsOn,
          daysLeft,
          unpaidMinor: unpaid,
        });
      }
    }
  }

  /** The debts, earliest limitation date first, then by account and charge. */
  get result(): LimitationDebt[] {
    const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.debts].sort((a, b) => a.daysLeft - b.daysLeft || byId(a.accountId, b.accountId) || byId(a.chargeId, b.chargeId));
  }
}
