/**
 * Deterministic synthetic portfolios for the benchmark: residential accounts with 24 monthly
 * charges (2024-12 … 2026-11, due on the 1st) planned on 2026-11-26.
 *
 * - ~90% are paid up: every charge paid between the 3rd and the 19th of its month, with a full
 *   action log (a billing notice recorded for every month).
 * - ~10% are in arrears by 1, 2, 3, 4, 5, 7, 13 or 18 months (the last N charges unpaid, some
 *   partly paid), with the notices a collector would have recorded so far; every third of them
 *   lags one step behind, so that something is due today.
 * - ~4% of owners carry the `elderly` tag, a few `hardship`.
 *
 * Accounts are produced lazily (`portfolio(n)` is a generator; `account(i)` builds one), so a
 * 1M-account run never holds more than the consumer keeps.
 */
import type { AccountSnapshot, ChargeSnapshot, PaymentSnapshot, RecordedAction } from "../src/schedule/account.js";

export const AS_OF = "2026-11-26";
export const MONTHS = 24;
const FIRST_YEAR = 2024;
const FIRST_MONTH = 12; // 2024-12

const DEPTHS = [1, 2, 3, 4, 5, 7, 13, 18] as const;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM` of month index m (0 = 2024-12). */
export function periodOf(m: number): string {
  const k = FIRST_YEAR * 12 + (FIRST_MONTH - 1) + m;
  return `${Math.floor(k / 12)}-${pad2((k % 12) + 1)}`;
}

/** Small deterministic hash (xorshift-multiply) so that the mix does not follow i's residues too plainly. */
function mix(i: number): number {
  let x = (i + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export function accountId(i: number): string {
  return `A-${String(i).padStart(7, "0")}`;
}

/** Arrears depth in months (0 = paid up). */
export function depthOf(i: number): number {
  const h = mix(i);
  return h % 10 === 0 ? DEPTHS[(h >>> 8) % DEPTHS.length]! : 0;
}

/** Day (epoch) of `YYYY-MM-DD`, for ordering only. */
function addMonthsText(m: number, day: number): string | undefined {
  return m < MONTHS + 1 ? `${periodOf(m)}-${pad2(day)}` : undefined;
}

/** Account number `i` of every portfolio (the same i always gives the same account). */
export function account(i: number): AccountSnapshot {
  const id = accountId(i);
  const h = mix(i);
  const depth = depthOf(i);
  const fee = 12_000 + ((h >>> 4) % 300) * 100; // 120.00 – 419.00 CNY a month
  const lagging = depth > 0 && (h >>> 12) % 3 === 0;
  const firstUnpaid = MONTHS - depth;
  const charges: ChargeSnapshot[] = [];
  const payments: PaymentSnapshot[] = [];
  const actions: RecordedAction[] = [];
  const note = (stage: string, chargeId: string, on: string) => actions.push({ id: `${id}:${stage}@${chargeId}`, stage, on, covers: [`${stage}@${chargeId}`] });
  for (let m = 0; m < MONTHS; m++) {
    const period = periodOf(m);
    const chargeId = `fee-${period}`;
    charges.push({ id: chargeId, period, dueOn: `${period}-01`, amountMinor: fee });
    // Billing notices went out every month, paid or not (the lagging ones miss this month's).
    if (!(lagging && m === MONTHS - 1)) note("billing_notice", chargeId, `${period}-01`);
    if (m < firstUnpaid) {
      payments.push({ id: `pay-${period}`, on: `${period}-${pad2(3 + ((h >>> 6) + m) % 17)}`, amountMinor: fee });
    } else {
      if (m === firstUnpaid && (h >>> 20) % 3 === 0) payments.push({ id: `pay-${period}`, on: `${period}-15`, amountMinor: Math.floor(fee / 2) });
      // The charge ladder so far: dunning notice on the 25th, final notice on the 25th of the next month.
      const dunning = `${period}-25`;
      const final = addMonthsText(m + 1, 25);
      const last = m === MONTHS - 1;
      if (!(lagging && last)) {
        if (!last || dunning < "2026-11-26") note("dunning_notice", chargeId, dunning);
        if (final !== undefined && final < "2026-11-26" && !(lagging && m === MONTHS - 2)) note("final_notice", chargeId, final);
      }
    }
  }
  // The arrears ladder, carried out on its day, anchored on the oldest unpaid charge.
  if (depth > 0) {
    const anchor = `fee-${periodOf(firstUnpaid)}`;
    const ladder: Array<[string, number]> = [
      ["arrears_3m_billing_notice", 3],
      ["arrears_4m_dunning_notice", 4],
      ["arrears_6m_final_notice", 6],
      ["arrears_12m_lawyer_letter", 12],
    ];
    let done = 0;
    for (const [stage, months] of ladder) {
      const on = addMonthsText(firstUnpaid + months, 2);
      if (on === undefined || on >= AS_OF) break;
      done++;
      if (lagging && ladder[done] && (addMonthsText(firstUnpaid + ladder[done]![1], 2) ?? "9") >= AS_OF) break; // one step behind
      note(stage, anchor, on);
    }
  }
  actions.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.id < b.id ? -1 : 1));
  const tag = h % 25 === 1 || h % 25 === 2 ? ["elderly"] : h % 97 === 3 ? ["hardship"] : undefined;
  return {
    id,
    segment: "residential",
    unit: `${1 + (i % 40)}-${1 + (i % 3)}-${1 + (i % 18)}0${1 + (i % 2)}`,
    owner: tag ? { name: "业主", tags: tag } : { name: "业主" },
    charges,
    payments,
    actions,
  };
}

/**
 * Account `i` as a ledger hands it over: parsed from text (JSON here, as from a file or a
 * database driver), so its strings are flat. The template literals `account` builds them with
 * are V8 cons strings, which whoever first reads them (the planner, not the generator) would
 * pay to flatten: a cost no real ledger puts on the planner.
 */
function stored(i: number): AccountSnapshot {
  return JSON.parse(JSON.stringify(account(i))) as AccountSnapshot;
}

/** Accounts `from` … `from + n - 1`, one at a time, as a ledger hands them over. */
export function* portfolio(n: number, from = 0): Generator<AccountSnapshot> {
  for (let i = from; i < from + n; i++) yield stored(i);
}

/** The same, in arrays of at most `size` (for batched writes and batched in-memory planning). */
export function* batches(n: number, size: number, from = 0): Generator<AccountSnapshot[]> {
  for (let start = from; start < from + n; start += size) {
    const batch: AccountSnapshot[] = [];
    const end = Math.min(from + n, start + size);
    for (let i = start; i < end; i++) batch.push(stored(i));
    yield batch;
  }
}
