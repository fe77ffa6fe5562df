/**
 * Deterministic synthetic portfolios for the benchmark, in three mixes (`--mix`):
 *
 * - `realistic` (the default): the demo estate's own mix (src/demo/estate.ts and holds.ts:
 *   prompt and late payers, long-term debtors, sporadic payers, entrusted units, ~5% shops on the
 *   commercial policy, disputes, installment plans, promises to pay, manual holds, opt-outs), 24
 *   monthly charges, with the action history its nightly job would have recorded
 *   (`withHistory`), planned on 2026-11-26. See {@link estateMix}.
 * - `billing-day`: the same generator with asOf 2026-12-01, the billing day: every account has
 *   just received its December charge, due today.
 * - `idealised` (the benchmark's mix before issue 15, kept as one named row): residential only,
 *   ~90% paid up, no holds, no shops, no late payers; see {@link account}.
 *
 * Accounts are produced lazily (`portfolio(n)` is a generator), so a 1M-account run never holds
 * more than the consumer keeps (and, for the estate mixes, the base estate's text).
 *
 * The idealised mix, 24 monthly charges (2024-12 … 2026-11, due on the 1st) planned on 2026-11-26:
 *
 * - ~90% are paid up: every charge paid between the 3rd and the 19th of its month, with a full
 *   action log (a billing notice recorded for every month).
 * - ~10% are in arrears by 1, 2, 3, 4, 5, 7, 13 or 18 months (the last N charges unpaid, some
 *   partly paid), with the notices a collector would have recorded so far; every third of them
 *   lags one step behind, so that something is due today.
 * - ~4% of owners carry the `elderly` tag, a few `hardship`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateEstate, withHistory } from "../src/demo/estate.js";
import type { AccountSnapshot, ChargeSnapshot, PaymentSnapshot, RecordedAction } from "../src/ledger/account.js";

/** The planning day of the idealised and realistic mixes. */
export const AS_OF = "2026-11-26";
/** The billing-day variant's planning day: December's charge falls due on it. */
export const BILLING_DAY = "2026-12-01";
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

/** Account number `i` of the idealised portfolio (the same i always gives the same account). */
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
 * The demo estate's mix at any size: the demo generator (seed {@link ESTATE_SEED}, 20 flats to a
 * shop as in the demo) builds a base estate of at most {@link ESTATE_BASE} accounts with the
 * history its nightly job would have recorded up to asOf; account `i` is base account
 * `i % base`, copy `⌊i / base⌋` given ids of its own (`R-00042.7`, its recorded actions' ids
 * too). A base and not N generated accounts because recording two years of history costs ~8 ms
 * an account (2.2 hours for 1M); the mix is the generator's, copied. The base is written once to
 * $TMPDIR/pd-bench as JSON lines (delete it to rebuild) and kept as text, each account parsed
 * anew, as a ledger hands it over.
 */
export const ESTATE_SEED = 20260301;
export const ESTATE_BASE = 10_500;
const DIR = join(tmpdir(), "pd-bench");

export type MixName = "realistic" | "billing-day" | "idealised";
export const MIXES: Record<MixName, { label: string; asOf: string }> = {
  realistic: { label: "realistic (demo estate's mix)", asOf: AS_OF },
  "billing-day": { label: "billing day (new charge due today)", asOf: BILLING_DAY },
  idealised: { label: "idealised: 90% paid up, no holds", asOf: AS_OF },
};

function basePath(asOf: string, size: number): string {
  return join(DIR, `estate-${ESTATE_SEED}-${asOf}-${size}.jsonl`);
}

/** Writes the base estate of `size` accounts for `asOf` unless it is there (untimed; ~8 ms an account). */
export function prepareEstate(asOf: string, size: number): string {
  const path = basePath(asOf, size);
  if (existsSync(path)) return path;
  const shops = Math.round(size / 21);
  const accounts = withHistory(generateEstate({ seed: ESTATE_SEED, asOf, residentialUnits: size - shops, shops }), asOf);
  mkdirSync(DIR, { recursive: true });
  writeFileSync(`${path}.tmp`, `${accounts.map((a) => JSON.stringify(a)).join("\n")}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The base estate's size for a portfolio of `n` accounts. */
export const baseSize = (n: number) => Math.min(n, ESTATE_BASE);

let selected: MixName = "realistic";
let base: { lines: string[]; ids: string[] } | undefined;

/** Chooses the mix `portfolio` and `batches` hand out (each child process plans one mix). */
export function selectMix(name: string, n: number): void {
  if (!(name in MIXES)) throw new Error(`unknown mix ${name} (${Object.keys(MIXES).join(", ")})`);
  selected = name as MixName;
  if (selected === "idealised") return;
  const lines = readFileSync(prepareEstate(MIXES[selected].asOf, baseSize(n)), "utf8").trimEnd().split("\n");
  base = { lines, ids: lines.map((l) => (JSON.parse(l) as AccountSnapshot).id) };
}

/** The planning day of the selected mix. */
export const mixAsOf = (): string => MIXES[selected].asOf;

/** Estate account `i`: its base account's text with the copy's ids, parsed (flat strings). */
function estateAccount(i: number): AccountSnapshot {
  const k = i % base!.lines.length;
  const copy = Math.floor(i / base!.lines.length);
  const line = base!.lines[k]!;
  if (copy === 0) return JSON.parse(line) as AccountSnapshot;
  const id = base!.ids[k]!;
  // The account id appears as itself ("R-00042") and as its actions' id prefix ("R-00042:").
  return JSON.parse(line.replaceAll(`"${id}"`, `"${id}.${copy}"`).replaceAll(`"${id}:`, `"${id}.${copy}:`)) as AccountSnapshot;
}

/**
 * Account `i` of the selected mix as a ledger hands it over: parsed from text (JSON here, as from a file or a
 * database driver), so its strings are flat. The template literals `account` builds them with
 * are V8 cons strings, which whoever first reads them (the planner, not the generator) would
 * pay to flatten: a cost no real ledger puts on the planner.
 */
function stored(i: number): AccountSnapshot {
  if (selected !== "idealised") return estateAccount(i);
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
