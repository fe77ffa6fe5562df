/**
 * A made-up estate in the MicroCommunity-style schema of schema.sql, as the rows that PMS would
 * hold: rooms, owners and their relations, fee configs, fee items (`pay_fee`, paid through
 * `end_time`) and payment details. Deterministic: the same seed gives the same rows (a seeded
 * generator, never `Math.random`). fill.ts writes them; the test derives the expected ledger
 * from them on its own.
 *
 * Times are instants as UTC ISO strings (`2026-02-28T16:20:00.000Z` is 00:20 on 1 March in
 * Shanghai), as a driver hands them over: which civil day a payment falls on is the views'
 * business, and some payments are made just after midnight so that a wrong zone shows.
 */
import { createRandom, deriveSeed, type Random } from "../../../src/demo/random.js";
import { addMonths, civilDate, civilOf, dayOfMonth, monthIndexOfDay, type EpochDay } from "../../../src/schedule/time/civil-date.js";

export interface Room { room_id: string; unit_id: string; room_num: string; layer: number; built_up_area: string; room_type: string; state: string }
export interface Owner { owner_id: string; name: string; link: string }
export interface OwnerRoomRel { rel_id: string; owner_id: string; room_id: string; owner_type_cd: string; start_time: string; status_cd: string }
export interface FeeConfig { config_id: string; fee_name: string; fee_type_cd: string; square_price: string; additional_amount: string; payment_cycle: number }
export interface Fee { fee_id: string; config_id: string; fee_type_cd: string; payer_obj_id: string; payer_obj_type: string; start_time: string; end_time: string; create_time: string; status_cd: string }
export interface FeeDetail { detail_id: string; fee_id: string; cycles: string; receivable_amount: string; received_amount: string; prime_rate: string; create_time: string; status_cd: string }

export interface HcEstate {
  community: { community_id: string; name: string };
  floors: { floor_id: string; floor_num: string }[];
  units: { unit_id: string; floor_id: string; unit_num: string }[];
  rooms: Room[];
  owners: Owner[];
  rels: OwnerRoomRel[];
  configs: FeeConfig[];
  fees: Fee[];
  details: FeeDetail[];
  /** The fee whose end_time staff moved two months on without a payment (a waiver): paid_through_check lists it. */
  waivedFeeId: string;
}

export const ROOM_RESIDENCE = "1010301";
export const ROOM_SHOP = "2020602";
export const STATE_OCCUPIED = "2001";
export const STATE_VACANT = "2003";
export const STATE_ENTRUSTED = "2005";
export const FEE_PROPERTY = "888800010001";
export const FEE_PARKING = "888800010008";

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "欧阳"] as const;
const GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "强", "磊", "军", "洋", "艳", "杰", "涛", "明", "桂英", "建国", "海燕", "晓东", "子涵", "雨桐"] as const;
const SHOPS = ["鑫源便利店", "福满餐饮", "惠民大药房", "佳乐理发", "金谷水果", "同福洗衣", "益康面馆", "美家烟酒", "百味早餐", "兴隆五金"] as const;

// Residential: 2.35 yuan/m² + 10.00 (the hand-checked case's config); entrusted rooms 70 % of
// both (S2 "⑥房屋托管"), which gives a 4-decimal price; shops by the quarter.
const CONFIGS: FeeConfig[] = [
  { config_id: "9220000000001", fee_name: "物业费(住宅)", fee_type_cd: FEE_PROPERTY, square_price: "2.3500", additional_amount: "10.00", payment_cycle: 1 },
  { config_id: "9220000000002", fee_name: "物业费(托管房)", fee_type_cd: FEE_PROPERTY, square_price: "1.6450", additional_amount: "7.00", payment_cycle: 12 },
  { config_id: "9220000000003", fee_name: "物业费(商铺)", fee_type_cd: FEE_PROPERTY, square_price: "8.8800", additional_amount: "50.00", payment_cycle: 3 },
  { config_id: "9220000000004", fee_name: "停车费", fee_type_cd: FEE_PARKING, square_price: "0.0000", additional_amount: "300.00", payment_cycle: 1 },
];

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/**
 * The instant of a Shanghai wall-clock time, as UTC ISO. China has kept UTC+8 without daylight
 * saving since 1991, so the filler may subtract 8 hours; the views and the test convert properly.
 */
export function shanghaiInstant(day: EpochDay, hour: number, minute: number): string {
  const [y, m, d] = civilOf(day);
  return new Date(Date.UTC(y, m - 1, d, hour - 8, minute)).toISOString();
}

/** Monthly fee in fen: square_price × area + additional_amount, rounded half up to the fen (all values positive). */
export function monthlyFen(config: FeeConfig, area: string): number {
  const price = BigInt(config.square_price.replace(".", "")); // 1/10000 yuan
  const m2 = BigInt(area.replace(".", "")); // 1/100 m²
  const extra = BigInt(config.additional_amount.replace(".", "")); // fen
  const micro = price * m2 + extra * 10000n; // 1/1,000,000 yuan
  return Number((micro + 5000n) / 10000n);
}

const yuan = (fen: number): string => `${Math.floor(fen / 100)}.${pad(fen % 100, 2)}`;

type Behaviour = "prompt" | "late" | "debtor" | "sporadic";
const MIX: Record<Behaviour, number> = { prompt: 70, late: 15, debtor: 10, sporadic: 5 };

/** When a payer pays: [day paid, cycles] pairs, each paying the oldest unpaid cycles (and, for the prompt, those just due). */
function paymentDays(rng: Random, behaviour: Behaviour, dues: readonly EpochDay[], cycle: number, asOf: EpochDay): [EpochDay, number][] {
  const out: [EpochDay, number][] = [];
  let paid = 0;
  const stop = behaviour === "debtor" ? dues.length - rng.int(4, 20) : dues.length;
  const lag = behaviour === "late" ? rng.int(1, 3) : behaviour === "sporadic" ? rng.int(2, 5) : 0;
  for (let k = 0; k < Math.max(stop, 0); k++) {
    if (k < paid) continue;
    if (lag === 0) {
      // Prompt: within the first two weeks of the cycle, `cycle` months at once (shops prepay a quarter).
      const n = Math.min(cycle, dues.length - k);
      out.push([dues[k]! + rng.int(0, 14), n]);
      paid = k + n;
    } else if (k - paid + 1 >= lag || k === stop - 1) {
      // Behind by `lag` months: catches up on everything due so far.
      out.push([dues[k]! + rng.int(3, 24), k + 1 - paid]);
      paid = k + 1;
    }
  }
  return out.filter(([day]) => day <= asOf);
}

/**
 * The estate on `asOf` (`YYYY-MM-DD`): 3 buildings × 2 entrances × 12 floors × 4 flats (288
 * flats) and 10 street shops, fees from April two years before (some rooms delivered later,
 * mid-month or on the 31st), 24 months of history, ~20 parking fees that are no room's.
 */
export function generateHcEstate(seed: number, asOf: string): HcEstate {
  const today = civilDate(asOf);
  const firstMonth = monthIndexOfDay(today) - 23;
  const start = dayOfMonth(firstMonth, 1);
  const e: HcEstate = { community: { community_id: "7520240000001", name: "翠湖花园" }, floors: [], units: [], rooms: [], owners: [], rels: [], configs: CONFIGS, fees: [], details: [], waivedFeeId: "" };
  let ids = 0;
  const id = (prefix: string): string => `${prefix}${pad(++ids, 10)}`;
  const person = (rng: Random): Owner => ({ owner_id: id("772"), name: rng.pick(SURNAMES) + rng.pick(GIVEN), link: `13${pad(rng.int(0, 999999999), 9)}` });

  for (let b = 1; b <= 3; b++) {
    const floor = { floor_id: id("732"), floor_num: String(b) };
    e.floors.push(floor);
    for (let u = 0; u <= 2; u++) {
      if (u === 0 && b !== 1) continue; // unit '0' of building 1 holds the street shops
      const unit = { unit_id: id("742"), floor_id: floor.floor_id, unit_num: String(u) };
      e.units.push(unit);
      const count = u === 0 ? 10 : 48;
      for (let i = 0; i < count; i++) {
        const rng = createRandom(deriveSeed(seed, b, u, i));
        const shop = u === 0;
        const layer = shop ? 1 : Math.floor(i / 4) + 1;
        const area = b === 1 && u === 1 && i === 0 ? "89.50" : shop ? `${rng.int(30, 300)}.${pad(rng.int(0, 99), 2)}` : `${rng.int(60, 160)}.${pad(rng.int(0, 99), 2)}`;
        const state = shop ? STATE_OCCUPIED : rng.chance(0.04) ? STATE_ENTRUSTED : rng.chance(0.05) ? STATE_VACANT : STATE_OCCUPIED;
        const room: Room = { room_id: id("752"), unit_id: unit.unit_id, room_num: shop ? `S${pad(i + 1, 2)}` : `${layer}${pad((i % 4) + 1, 2)}`, layer, built_up_area: area, room_type: shop ? ROOM_SHOP : ROOM_RESIDENCE, state };
        e.rooms.push(room);
        addOwners(e, rng, room, start, shop ? SHOPS[i]! : undefined, person, id);
        addFee(e, rng, room, start, today, id);
      }
    }
  }
  // Parking spaces pay their own fee items: not a room's, so never an account.
  for (let p = 0; p < 20; p++) {
    const rng = createRandom(deriveSeed(seed, "parking", p));
    const fee: Fee = { fee_id: id("902"), config_id: CONFIGS[3]!.config_id, fee_type_cd: FEE_PARKING, payer_obj_id: `P-${pad(p + 1, 3)}`, payer_obj_type: "6666", start_time: shanghaiInstant(start, 0, 0), end_time: "", create_time: shanghaiInstant(start - 3, 10, 0), status_cd: "0" };
    e.fees.push(fee);
    const dues = Array.from({ length: 24 }, (_, k) => addMonths(start, k));
    const paid = paymentDays(rng, "prompt", dues, 1, today);
    for (const [day, n] of paid) e.details.push(detail(fee.fee_id, n, 30000 * n, day, rng, id));
    fee.end_time = shanghaiInstant(addMonths(start, paid.reduce((s, [, n]) => s + n, 0)), 0, 0);
  }
  return e;
}

function addOwners(e: HcEstate, rng: Random, room: Room, start: EpochDay, shopName: string | undefined, person: (rng: Random) => Owner, id: (p: string) => string): void {
  const rel = (owner: Owner, type: string, day: EpochDay, status = "0"): void => void e.rels.push({ rel_id: id("782"), owner_id: owner.owner_id, room_id: room.room_id, owner_type_cd: type, start_time: shanghaiInstant(day, 9, 30), status_cd: status });
  // A family member registered first: the views must still name the owner (业主).
  if (rng.chance(0.2)) {
    const family = person(rng);
    e.owners.push(family);
    rel(family, "1002", start - 30);
  }
  // Sold during the two years: the old owner's relation is ended (status_cd '1').
  if (rng.chance(0.05)) {
    const seller = person(rng);
    e.owners.push(seller);
    rel(seller, "1001", start - 400, "1");
  }
  const owner = person(rng);
  if (shopName !== undefined) owner.name = shopName;
  e.owners.push(owner);
  rel(owner, "1001", start - 20);
}

function addFee(e: HcEstate, rng: Random, room: Room, start: EpochDay, today: EpochDay, id: (p: string) => string): void {
  const config = room.room_type === ROOM_SHOP ? CONFIGS[2]! : room.state === STATE_ENTRUSTED ? CONFIGS[1]! : CONFIGS[0]!;
  // Most fees run from the 1st; a room delivered later starts mid-month, one on the 31st (month ends clamp).
  const from = rng.chance(0.08) ? start + rng.int(40, 500) : e.rooms.length === 7 ? civilDate("2025-01-31") : start;
  const createdAt = shanghaiInstant(from - 2, 15, 0);
  // A fee item entered twice by mistake and deleted: no account sees it.
  if (rng.chance(0.03))
    e.fees.push({ fee_id: id("902"), config_id: config.config_id, fee_type_cd: config.fee_type_cd, payer_obj_id: room.room_id, payer_obj_type: "3333", start_time: shanghaiInstant(from, 0, 0), end_time: shanghaiInstant(from, 0, 0), create_time: createdAt, status_cd: "1" });
  const fee: Fee = { fee_id: id("902"), config_id: config.config_id, fee_type_cd: config.fee_type_cd, payer_obj_id: room.room_id, payer_obj_type: "3333", start_time: shanghaiInstant(from, 0, 0), end_time: "", create_time: createdAt, status_cd: "0" };
  e.fees.push(fee);
  const dues: EpochDay[] = [];
  // Every cycle that begins in a month up to today's is billed (views.sql: the horizon).
  for (let k = 0; monthIndexOfDay(addMonths(from, k)) <= monthIndexOfDay(today); k++) dues.push(addMonths(from, k));
  const behaviour = room.state === STATE_ENTRUSTED ? "sporadic" : rng.weighted(MIX);
  const monthly = monthlyFen(config, room.built_up_area);
  let cycles = 0;
  for (const [day, n] of paymentDays(rng, behaviour, dues, config.payment_cycle, today)) {
    e.details.push(detail(fee.fee_id, n, monthly * n, day, rng, id));
    cycles += n;
    // Paid twice at the counter and refunded: the second detail is status_cd '1'.
    if (rng.chance(0.01)) e.details.push({ ...detail(fee.fee_id, n, monthly * n, day, rng, id), status_cd: "1" });
  }
  // One waiver (compensation for a leaking roof, S4): end_time moved on two months, no money.
  if (e.waivedFeeId === "" && behaviour === "debtor") {
    e.waivedFeeId = fee.fee_id;
    cycles += 2;
  }
  fee.end_time = shanghaiInstant(addMonths(from, cycles), 0, 0);
}

function detail(feeId: string, cycles: number, fen: number, day: EpochDay, rng: Random, id: (p: string) => string): FeeDetail {
  // Mostly office hours; some just after midnight (the day before in UTC) or late at night.
  const x = rng.next();
  const [hour, minute] = x < 0.06 ? [0, rng.int(0, 59)] : x < 0.1 ? [23, rng.int(0, 59)] : [rng.int(8, 20), rng.int(0, 59)];
  const amount = yuan(fen);
  return { detail_id: id("912"), fee_id: feeId, cycles: `${cycles}.00`, receivable_amount: amount, received_amount: amount, prime_rate: rng.pick(["1", "2", "5", "5", "6"]), create_time: shanghaiInstant(day, hour, minute), status_cd: "0" };
}
