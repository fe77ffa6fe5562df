/**
 * A made-up residential estate (小区) for demos, tests and benchmarks: apartment owners and
 * street shops, two years of monthly property-fee charges, and payments with a realistic mix of
 * prompt payers, late payers, long-term debtors and vacant units. Deterministic: the same options
 * give the same estate on every machine (a seeded generator; never `Math.random`).
 */
import { schedulerPicker, toRecorded } from "../ledger/plan.js";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { AccountSnapshot, OwnerSnapshot, PaymentSnapshot } from "../ledger/account.js";
import { civilDate, dayOfMonth, formatCivilDate, monthIndexOfDay, type EpochDay, type MonthIndex } from "../schedule/time/civil-date.js";
import { holdsFor, type Month, type Paid, type PayerBehaviour } from "./holds.js";
import { createRandom, deriveSeed, type Random } from "./random.js";
import { InvalidArgumentError } from "../rules/errors.js";

export interface EstateOptions {
  /** Any number; the same seed gives the same estate. */
  seed: number;
  /** The "today" of the data, `YYYY-MM-DD`: the last charge is for its month, and no payment is later. */
  asOf: string;
  /** Apartments, ids `R-0001` …, segment `residential`. Default 2000. */
  residentialUnits?: number;
  /** Street shops, ids `C-001` …, segment `commercial`. Default 100. */
  shops?: number;
  /** Monthly charges per account, ending with asOf's month. Default 24. */
  months?: number;
}

const RESIDENTIAL_MIX: Record<PayerBehaviour, number> = { prompt: 70, late: 15, debtor: 8, entrusted: 3, sporadic: 4 };
const COMMERCIAL_MIX: Record<PayerBehaviour, number> = { prompt: 66, late: 18, debtor: 10, entrusted: 2, sporadic: 4 };

/** Residential fee: 2.50 CNY per m² per month, in fen. */
const RESIDENTIAL_RATE_FEN = 250;
/** Shop fees per m² per month, in fen. */
const SHOP_RATES_FEN = [600, 800, 1000, 1200] as const;

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "欧阳", "司马"] as const;
const GIVEN_NAMES = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "建华", "玉兰", "志强", "海燕", "晓东", "文博", "子涵", "雨桐", "浩然", "欣怡", "国庆", "淑珍"] as const;
const SHOP_PREFIXES = ["鑫源", "福满", "惠民", "佳乐", "金谷", "同福", "益康", "美家", "百味", "康宁", "兴隆", "顺发", "好邻居", "万家"] as const;
const SHOP_KINDS = ["便利店", "餐饮店", "大药房", "理发店", "水果店", "洗衣店", "面馆", "烟酒店", "文具店", "花店", "早餐店", "五金店", "快递驿站", "母婴店"] as const;

/** Apartment layout: per building, 2 entrances (单元) × 18 floors × 2 flats per floor. */
const ENTRANCES = 2;
const FLOORS = 18;
const FLATS_PER_FLOOR = 2;
const FLATS_PER_BUILDING = ENTRANCES * FLOORS * FLATS_PER_FLOOR;
const SHOPS_PER_BUILDING = 8;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new InvalidArgumentError("invalid_number", name, `${name} must be an integer ≥ ${min} (got ${String(value)})`);
  return value;
}

/** Floor area in hundredths of m² of flat `flat` (1-based on the floor) of building `building`: every floor shares the plan. */
function flatArea(seed: number, building: number, flat: number): number {
  return createRandom(deriveSeed(seed, "plan", building, flat)).int(6000, 16000);
}

/** Payments of one fee on time (`delay` 0) or `delay` months late, possibly in two parts. */
function payMonth(rng: Random, month: Month, delay: number, out: Paid[]): void {
  const amount = month.charge.amountMinor;
  const day = delay === 0 ? rng.int(1, rng.chance(0.8) ? 15 : 24) : rng.int(1, 28);
  const on = dayOfMonth(month.index + delay, day);
  if (delay > 0 && amount > 1 && rng.chance(0.25)) {
    const first = Math.min(amount - 1, Math.max(1, Math.round((amount * rng.int(50, 90)) / 100)));
    out.push({ on, amount: first });
    // The rest follows a month later, or stays owed.
    if (rng.chance(0.6)) out.push({ on: dayOfMonth(month.index + delay + 1, rng.int(1, 28)), amount: amount - first });
  } else out.push({ on, amount });
}

function lateDelay(rng: Random): number {
  const x = rng.next();
  return x < 0.5 ? 1 : x < 0.8 ? 2 : 3;
}

/** Lump payments of all arrears at the given months. */
function settleAt(rng: Random, months: readonly Month[], payMonths: readonly MonthIndex[], out: Paid[]): void {
  let paid = 0;
  for (const m of payMonths) {
    const on = dayOfMonth(m, rng.int(1, 28));
    let owed = -paid;
    for (const month of months) if (month.due <= on) owed += month.charge.amountMinor;
    if (owed > 0) out.push({ on, amount: owed }), (paid += owed);
  }
}

function paymentsFor(rng: Random, behaviour: PayerBehaviour, months: readonly Month[], asOfMonth: MonthIndex): Paid[] {
  const out: Paid[] = [];
  const first = months[0]!.index;
  switch (behaviour) {
    case "prompt":
      for (const m of months) payMonth(rng, m, 0, out);
      break;
    case "late":
      for (const m of months) payMonth(rng, m, lateDelay(rng), out);
      break;
    case "debtor": {
      const stopped = asOfMonth - rng.int(4, 20);
      const wasLate = rng.chance(0.3);
      const before: Paid[] = [];
      for (const m of months) if (m.index < stopped) payMonth(rng, m, wasLate ? lateDelay(rng) : 0, before);
      const stopDay = dayOfMonth(stopped, 1);
      for (const p of before) if (p.on < stopDay) out.push(p);
      break;
    }
    case "entrusted": {
      const at: MonthIndex[] = [];
      for (let m = first + rng.int(0, 11); m <= asOfMonth; m += 12) at.push(m);
      settleAt(rng, months, at, out);
      break;
    }
    case "sporadic": {
      const at: MonthIndex[] = [];
      for (let m = first + rng.int(0, 3); m <= asOfMonth; m += rng.int(2, 5)) at.push(m);
      settleAt(rng, months, at, out);
      break;
    }
  }
  return out;
}

function tagsFor(rng: Random, behaviour: PayerBehaviour, residential: boolean): string[] {
  const tags: string[] = [];
  if (behaviour === "entrusted") tags.push("entrusted");
  if (residential) {
    if (rng.chance(0.07)) tags.push("elderly");
    if (rng.chance(0.015)) tags.push("disabled");
    if (rng.chance(behaviour === "debtor" ? 0.15 : behaviour === "late" ? 0.04 : 0.01)) tags.push("hardship");
  } else if (rng.chance(behaviour === "debtor" ? 0.1 : 0.01)) tags.push("hardship");
  return tags;
}

function personName(rng: Random): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES);
}

interface AccountPlan {
  id: string;
  segment: "residential" | "commercial";
  unit: string;
  name: string;
  monthlyFee: number;
  mix: Record<PayerBehaviour, number>;
}

function buildAccount(plan: AccountPlan, rng: Random, holdsRng: Random, periods: readonly MonthIndex[], asOf: EpochDay): AccountSnapshot {
  const months: Month[] = periods.map((index) => {
    const due = dayOfMonth(index, 1);
    const period = formatCivilDate(due).slice(0, 7);
    return { index, due, charge: { id: `fee-${period}`, period, dueOn: formatCivilDate(due), amountMinor: plan.monthlyFee } };
  });
  const behaviour = rng.weighted(plan.mix);
  const paid = paymentsFor(rng, behaviour, months, monthIndexOfDay(asOf)).filter((p) => p.on <= asOf);
  const { holds, optOuts } = holdsFor(holdsRng, behaviour, months, asOf, paid);
  paid.sort((a, b) => a.on - b.on || a.amount - b.amount);
  const payments: PaymentSnapshot[] = paid.map((p, i) => ({ id: `pay-${pad(i + 1, 3)}`, on: formatCivilDate(p.on), amountMinor: p.amount }));
  const owner: OwnerSnapshot = { name: plan.name };
  const tags = tagsFor(rng, behaviour, plan.segment === "residential");
  if (tags.length > 0) owner.tags = tags;
  const account: AccountSnapshot = { id: plan.id, segment: plan.segment, unit: plan.unit, owner, charges: months.map((m) => m.charge), payments, actions: [] };
  if (holds.length > 0) account.holds = holds;
  if (optOuts.length > 0) account.optOuts = optOuts;
  return account;
}

/**
 * Generates the estate: `residentialUnits` apartments (`R-0001`, unit `building-entrance-floor
 * flat` such as `8-2-1201`, fee = floor area 60–160 m² × 2.50 CNY) then `shops` street shops
 * (`C-001`, unit such as `3-S05`, 30–300 m² × 6–12 CNY), each with one charge per month for the
 * `months` months ending with asOf's month (id `fee-YYYY-MM`, due on the 1st) and payments by
 * one of the {@link PayerBehaviour}s; owners are tagged `entrusted`, `elderly`, `disabled`,
 * `hardship` in small shares. Action logs are empty. Amounts are integer fen; no payment is
 * dated after asOf.
 *
 * A few accounts have holds (see {@link HOLD_SHARES}): late payers and debtors with an open or
 * resolved dispute (~1.5% of the estate), an installment plan over their oldest 2–4 unpaid
 * charges, kept or broken, its instalments paid accordingly (~1%), a promise to pay made in the
 * last two weeks for a day around asOf (~1%); a handful of manual holds (scope `legal`); and
 * some owners have opted out of a channel (mostly `sms`).
 */
export function generateEstate(options: EstateOptions): AccountSnapshot[] {
  const { seed } = options;
  const asOf = civilDate(options.asOf);
  const residentialUnits = checkCount("residentialUnits", options.residentialUnits ?? 2000, 0);
  const shops = checkCount("shops", options.shops ?? 100, 0);
  const months = checkCount("months", options.months ?? 24, 1);
  const asOfMonth = monthIndexOfDay(asOf);
  const periods = Array.from({ length: months }, (_, i) => asOfMonth - months + 1 + i);
  const accounts: AccountSnapshot[] = [];

  const rWidth = Math.max(4, String(residentialUnits).length);
  for (let i = 0; i < residentialUnits; i++) {
    const building = Math.floor(i / FLATS_PER_BUILDING) + 1;
    const inBuilding = i % FLATS_PER_BUILDING;
    const entrance = Math.floor(inBuilding / (FLOORS * FLATS_PER_FLOOR)) + 1;
    const floor = Math.floor((inBuilding % (FLOORS * FLATS_PER_FLOOR)) / FLATS_PER_FLOOR) + 1;
    const flat = (inBuilding % FLATS_PER_FLOOR) + 1;
    const id = `R-${pad(i + 1, rWidth)}`;
    const rng = createRandom(deriveSeed(seed, id));
    const area = flatArea(seed, building, (entrance - 1) * FLATS_PER_FLOOR + flat);
    accounts.push(
      buildAccount(
        { id, segment: "residential", unit: `${building}-${entrance}-${floor}${pad(flat, 2)}`, name: personName(rng), monthlyFee: Math.round((area * RESIDENTIAL_RATE_FEN) / 100), mix: RESIDENTIAL_MIX },
        rng,
        createRandom(deriveSeed(seed, id, "holds")),
        periods,
        asOf,
      ),
    );
  }

  const cWidth = Math.max(3, String(shops).length);
  for (let i = 0; i < shops; i++) {
    const id = `C-${pad(i + 1, cWidth)}`;
    const rng = createRandom(deriveSeed(seed, id));
    const area = rng.int(3000, 30000);
    const rate = rng.pick(SHOP_RATES_FEN);
    const name = rng.chance(0.7) ? rng.pick(SHOP_PREFIXES) + rng.pick(SHOP_KINDS) : personName(rng);
    const unit = `${Math.floor(i / SHOPS_PER_BUILDING) + 1}-S${pad((i % SHOPS_PER_BUILDING) + 1, 2)}`;
    accounts.push(
      buildAccount({ id, segment: "commercial", unit, name, monthlyFee: Math.round((area * rate) / 100), mix: COMMERCIAL_MIX }, rng, createRandom(deriveSeed(seed, id, "holds")), periods, asOf),
    );
  }
  return accounts;
}

/**
 * The estate's action history: what its nightly job carried out up to `until` (exclusive),
 * planned with the built-in policies and recorded on the day, channels and covers included. A
 * demo estate with history plans today what is really due today, not two years of catch-up.
 */
export function withHistory(accounts: readonly AccountSnapshot[], until: string): AccountSnapshot[] {
  const pick = schedulerPicker();
  const start = accounts.reduce((min, a) => a.charges.reduce((m, c) => (c.dueOn < m ? c.dueOn : m), min), until);
  const last = formatCivilDate(civilDate(until) - 1);
  if (last < start) return [...accounts];
  return accounts.map((account) => {
    const past = pick(account.segment).forecast(account, start, last);
    const recorded = past.map((a) => {
      const { accountId: _, ...action } = toRecorded(a, a.plannedOn);
      return action;
    });
    return { ...account, actions: [...(account.actions ?? []), ...recorded] };
  });
}

/**
 * Makes sure the demo estate exists as an SQLite ledger at `dbPath`: when the file is missing,
 * generates it (`generateEstate(options)`) and writes it — into a temporary file renamed into
 * place, so an interrupted run leaves no half-written ledger. Returns whether it was created.
 * Needs `better-sqlite3`.
 */
export async function ensureDemoEstate(dbPath: string, options: EstateOptions & { historyUntil?: string }): Promise<boolean> {
  if (existsSync(dbPath)) return false;
  const generated = generateEstate(options);
  const accounts = options.historyUntil ? withHistory(generated, options.historyUntil) : generated;
  await mkdir(dirname(dbPath), { recursive: true });
  const temp = `${dbPath}.${process.pid}.tmp`;
  const leftovers = (): Promise<unknown> => Promise.all(["", "-wal", "-shm", "-journal"].map((suffix) => rm(temp + suffix, { force: true })));
  await leftovers();
  try {
    const { sqliteLedger } = await import("../adapters/sqlite.js");
    const ledger = await sqliteLedger(temp);
    try {
      await ledger.writeAccounts(accounts);
    } finally {
      await ledger.close();
    }
    await rename(temp, dbPath);
  } finally {
    await leftovers();
  }
  return true;
}

