/**
 * The practical limit: the built-in residential timeline (S2) hard-coded in TypeScript, with no
 * generality — no policy, no conditions, no holds, no frequency caps, no holiday calendar.
 *
 *   charge ladder:  billing notice on day 1, dunning notice on day 25, final notice on day 25 of
 *                   the next month (after the dunning notice), per unpaid charge;
 *   arrears ladder: 3, 4, 6 and 12 months after the oldest unpaid charge fell due, in order; the
 *                   lawyer's letter only after a final notice's 15-day deadline has passed;
 *   delivery:       the most severe due stage, door posting + SMS (a home visit instead of the
 *                   door for elderly, disabled and hardship owners), express mail for the letter.
 *
 * It reads the same normalised `Account` as the scheduler (epoch days), so the benchmark times
 * planning only. On the estate mixes (bench/portfolio.ts) it plans what it knows for accounts with
 * holds and for shops too (the residential ladder), so it does less work than the scheduler there. The limitation review (180 days before 3 years) cannot fall due in a 24-month
 * history and is left out.
 */
import type { Account } from "../src/ledger/account.js";
import { addMonths, dayOfMonth, formatCivilDate, type EpochDay } from "../src/schedule/time/civil-date.js";

export interface HandAction {
  id: string;
  stage: string;
  channels: string[];
  dueOn: string;
  overdueMinor: number;
  lateFeeMinor: number;
  covers: string[];
  requiresReview: boolean;
}

// Stage numbers: charge ladder 0-2, arrears ladder 3-6; a larger number of the same kind rank is more severe.
const STAGES = ["billing_notice", "dunning_notice", "final_notice", "arrears_3m_billing_notice", "arrears_4m_dunning_notice", "arrears_6m_final_notice", "arrears_12m_lawyer_letter"];
const SEVERITY = [0, 1, 2, 0, 1, 2, 3];
const ARREARS_MONTHS = [3, 4, 6, 12];
const STAGE_NO = new Map(STAGES.map((s, i) => [s, i]));

export function handWrittenDue(account: Account, asOf: EpochDay): HandAction[] {
  const { charges, payments } = account;
  let paid = 0;
  for (const p of payments) {
    if (p.on > asOf) break;
    paid += p.amount;
  }
  const n = charges.length;
  const unpaid = new Array<number>(n);
  let any = false;
  let overdueMinor = 0;
  let anchor = -1;
  for (let i = 0; i < n; i++) {
    const c = charges[i]!;
    const applied = paid >= c.amount ? c.amount : paid;
    paid -= applied;
    const rest = c.amount - applied;
    unpaid[i] = rest;
    if (rest > 0) {
      any = true;
      if (c.due < asOf) {
        overdueMinor += rest;
        if (anchor < 0) anchor = i;
      }
    }
  }
  if (!any) return [];

  // The log: day each charge-ladder stage was done per charge; last day per arrears stage; demands.
  const doneByCharge = new Map<string, EpochDay[]>();
  const lastDay = [-1, -1, -1, -1, -1, -1, -1];
  let demandDeadline = Infinity;
  const anchorDue = anchor >= 0 ? charges[anchor]!.due : Infinity;
  for (const a of account.actions) {
    if (a.on > asOf) break;
    if (a.on === asOf) return []; // one owner-facing action a day
    const s = STAGE_NO.get(a.stage);
    if (s === undefined) continue;
    if (a.on > lastDay[s]!) lastDay[s] = a.on;
    if ((s === 2 || s === 5) && a.on > anchorDue && a.on + 15 < demandDeadline) demandDeadline = a.on + 15;
    // An action covers the stage instances its keys name (`dunning_notice@fee-2026-09`), which
    // may be of other stages than its own (a final notice that also carries a pending dunning notice).
    for (const key of a.covers ?? []) {
      const at = key.indexOf("@");
      const ks = STAGE_NO.get(key.slice(0, at));
      if (ks === undefined || ks > 2) continue;
      const chargeId = key.slice(at + 1);
      let days = doneByCharge.get(chargeId);
      if (!days) doneByCharge.set(chargeId, (days = [-1, -1, -1]));
      if (days[ks]! < 0) days[ks] = a.on;
    }
  }

  let best = -1;
  let bestAnchor = "";
  let bestDue = 0;
  const covers: string[] = [];
  const consider = (s: number, chargeId: string, due: EpochDay) => {
    covers.push(`${STAGES[s]}@${chargeId}`);
    if (best < 0 || SEVERITY[s]! > SEVERITY[best]! || (SEVERITY[s] === SEVERITY[best] && s > best)) (best = s), (bestAnchor = chargeId), (bestDue = due);
  };

  for (let i = 0; i < n; i++) {
    if (unpaid[i]! <= 0) continue;
    const c = charges[i]!;
    const done = doneByCharge.get(c.id);
    const billing = dayOfMonth(c.month, 1);
    if ((done?.[0] ?? -1) < 0 && billing <= asOf) consider(0, c.id, billing);
    const dunning = Math.max(dayOfMonth(c.month, 25), c.due + 1);
    const dunningOn = done?.[1] ?? -1;
    if (dunningOn < 0) {
      if (dunning <= asOf) consider(1, c.id, dunning);
    } else if ((done?.[2] ?? -1) < 0) {
      const regular = dayOfMonth(c.month + 1, 25);
      const final = Math.max(regular, dunningOn + (regular - dayOfMonth(c.month, 25)));
      if (final <= asOf) consider(2, c.id, final);
    }
  }

  if (anchor >= 0) {
    const a = charges[anchor]!;
    let prevRegular = 0;
    let prevOn = -1;
    for (let k = 0; k < 4; k++) {
      const s = 3 + k;
      const regular = addMonths(a.due, ARREARS_MONTHS[k]!);
      const on = lastDay[s]! > a.due ? lastDay[s]! : -1;
      if (on < 0) {
        if (k > 0 && prevOn < 0) break;
        let due = k > 0 ? Math.max(regular, prevOn + Math.max(1, regular - prevRegular)) : regular;
        if (s === 6) {
          if (demandDeadline === Infinity) break;
          due = Math.max(due, demandDeadline + 1);
        }
        if (due <= asOf) consider(s, a.id, due);
        break;
      }
      prevRegular = regular;
      prevOn = on;
    }
  }
  if (best < 0) return [];

  const tags = account.snapshot.owner?.tags;
  const protectedOwner = tags !== undefined && (tags.includes("elderly") || tags.includes("disabled") || tags.includes("hardship"));
  const channels = best === 6 ? ["expressMail"] : [protectedOwner ? "homeVisit" : "doorPosting", "sms"];
  // Late fee: 0.05% a day of each overdue charge's unpaid amount since its due date, at most 30%.
  let lateFeeMinor = 0;
  for (let i = 0; i < n; i++) {
    const c = charges[i]!;
    if (unpaid[i]! > 0 && c.due < asOf) lateFeeMinor += Math.min(Math.round((unpaid[i]! * 5 * (asOf - c.due)) / 10_000), Math.round(c.amount * 0.3));
  }
  return [
    {
      id: `${account.id}:${STAGES[best]}@${bestAnchor}`,
      stage: STAGES[best]!,
      channels,
      dueOn: formatCivilDate(bestDue),
      overdueMinor,
      lateFeeMinor,
      covers,
      requiresReview: best === 6,
    },
  ];
}
