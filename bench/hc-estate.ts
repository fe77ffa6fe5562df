/**
 * The MicroCommunity-style vendor schema (examples/vendor-schemas/microcommunity) at benchmark
 * size, for the end-to-end view row (bench/e2e.ts): the example's own estate generator
 * (`generateHcEstate`, 298 rooms) run with seeds 15, 16, 17, … and each copy given ids of its own
 * (`752` + copy number + the generator's id), the last copy cut to reach exactly N rooms. One
 * room with a valid fee item is one account, so N rooms are N accounts.
 *
 * `prepareHc` writes, once (a `bench_ok` table in the plain schema marks it done):
 *   <pms>        the PMS's tables (schema.sql), filled with those rows;
 *   <pms>_views  views.sql over them, and the library's `actions` table beside the views;
 *   <pms>_plain  the library's own tables holding the same accounts, copied through the views
 *                (every account read through the views and written with `writeAccounts`), so that
 *                plain tables and views are compared on exactly the same accounts.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { generateHcEstate, type HcEstate } from "../examples/vendor-schemas/microcommunity/estate.js";

const EXAMPLE = fileURLToPath(new URL("../examples/vendor-schemas/microcommunity/", import.meta.url));
const ROOMS_PER_ESTATE = 298;

export const hcSchemas = (n: number) => {
  const pms = `pd_bench_hc_${n}`;
  return { pms, views: `${pms}_views`, plain: `${pms}_plain` };
};

/** `url` with `options=-c search_path=<schema> [-c pd.bill_through=<day>]`, as the README builds the CLI's --ledger. */
export function ledgerUrl(url: string, schema: string, billThrough?: string): string {
  const options = `-c search_path=${schema}${billThrough ? ` -c pd.bill_through=${billThrough}` : ""}`;
  return `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(options)}`;
}

/** Copy `c` of the estate: every id made unique by the copy number; the community and fee configs are shared. */
function copyOf(c: number, asOf: string, rooms: number): HcEstate {
  const e = generateHcEstate(15 + c, asOf);
  const tag = String(c).padStart(6, "0");
  const id = (x: string) => (/^\d{13}$/.test(x) ? `${x.slice(0, 3)}${tag}${x.slice(3)}` : `${x}-${tag}`);
  const keptRooms = new Set(e.rooms.slice(0, rooms).map((r) => r.room_id));
  const fees = e.fees.filter((f) => f.payer_obj_type !== "3333" || keptRooms.has(f.payer_obj_id));
  const keptFees = new Set(fees.map((f) => f.fee_id));
  const rels = e.rels.filter((r) => keptRooms.has(r.room_id));
  const keptOwners = new Set(rels.map((r) => r.owner_id));
  return {
    ...e,
    floors: e.floors.map((f) => ({ ...f, floor_id: id(f.floor_id) })),
    units: e.units.map((u) => ({ ...u, unit_id: id(u.unit_id), floor_id: id(u.floor_id) })),
    rooms: e.rooms.filter((r) => keptRooms.has(r.room_id)).map((r) => ({ ...r, room_id: id(r.room_id), unit_id: id(r.unit_id) })),
    owners: e.owners.filter((o) => keptOwners.has(o.owner_id)).map((o) => ({ ...o, owner_id: id(o.owner_id) })),
    rels: rels.map((r) => ({ ...r, rel_id: id(r.rel_id), owner_id: id(r.owner_id), room_id: id(r.room_id) })),
    fees: fees.map((f) => ({ ...f, fee_id: id(f.fee_id), payer_obj_id: id(f.payer_obj_id) })),
    details: e.details.filter((d) => keptFees.has(d.fee_id)).map((d) => ({ ...d, detail_id: id(d.detail_id), fee_id: id(d.fee_id) })),
  };
}

async function insert(client: pg.Client, schema: string, table: string, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).map((c) => `"${c}"`).join(", ");
  await client.query(`INSERT INTO "${schema}".${table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${schema}".${table}, $1::json)`, [JSON.stringify(rows)]);
}

/** Writes the three schemas for `n` accounts on `asOf` (the billing horizon too) unless done; returns them. */
export async function prepareHc(url: string, n: number, asOf: string): Promise<ReturnType<typeof hcSchemas>> {
  const s = hcSchemas(n);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const done = await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`"${s.plain}".bench_ok`]);
    if (done.rows[0].ok) return s;
    await client.query(`DROP SCHEMA IF EXISTS "${s.pms}", "${s.views}", "${s.plain}" CASCADE`);
    await client.query(`CREATE SCHEMA "${s.pms}"; CREATE SCHEMA "${s.views}"`);
    await client.query(`SET search_path TO "${s.pms}"; ${readFileSync(`${EXAMPLE}schema.sql`, "utf8")}`);
    const first = generateHcEstate(15, asOf);
    await insert(client, s.pms, "s_community", [first.community]);
    await insert(client, s.pms, "pay_fee_config", first.configs.map((r) => ({ ...r, community_id: first.community.community_id })));
    const copies = Math.ceil(n / ROOMS_PER_ESTATE);
    const CHUNK = 20;
    for (let c0 = 0; c0 < copies; c0 += CHUNK) {
      const part: HcEstate[] = [];
      for (let c = c0; c < Math.min(copies, c0 + CHUNK); c++) part.push(copyOf(c, asOf, Math.min(ROOMS_PER_ESTATE, n - c * ROOMS_PER_ESTATE)));
      const community = first.community.community_id;
      const all = <T>(f: (e: HcEstate) => T[]) => part.flatMap(f);
      await client.query("BEGIN");
      await insert(client, s.pms, "f_floor", all((e) => e.floors.map((r) => ({ ...r, community_id: community }))));
      await insert(client, s.pms, "building_unit", all((e) => e.units));
      await insert(client, s.pms, "building_room", all((e) => e.rooms.map((r) => ({ ...r, community_id: community }))));
      await insert(client, s.pms, "building_owner", all((e) => e.owners));
      await insert(client, s.pms, "building_owner_room_rel", all((e) => e.rels));
      await insert(client, s.pms, "pay_fee", all((e) => e.fees.map((r) => ({ ...r, community_id: community }))));
      await insert(client, s.pms, "pay_fee_detail", all((e) => e.details.map((r) => ({ ...r, community_id: community }))));
      await client.query("COMMIT");
    }
    await client.query(`SET search_path TO "${s.views}", "${s.pms}"; ${readFileSync(`${EXAMPLE}views.sql`, "utf8")}`);
    await client.query(`ANALYZE`);
  } finally {
    await client.end();
  }
  // The library's `actions` table beside the views (the README's `record` of nothing), then the
  // same accounts into plain tables, read through the views.
  const { postgresLedger } = await import("../src/adapters/postgres.js");
  const views = await postgresLedger(ledgerUrl(url, s.views, asOf));
  await views.record([]);
  const plain = await postgresLedger(url, { schema: s.plain });
  let batch = [];
  let count = 0;
  for await (const entry of views.accounts()) {
    if (!entry.ok) throw new Error(`a vendor view row is unreadable: ${JSON.stringify(entry)}`);
    batch.push(entry.account);
    count++;
    if (batch.length === 5_000) await plain.writeAccounts(batch.splice(0));
  }
  if (batch.length > 0) await plain.writeAccounts(batch);
  await views.close();
  await plain.close();
  if (count !== n) throw new Error(`the views hold ${count} accounts, not ${n}`);
  const c2 = new pg.Client({ connectionString: url });
  await c2.connect();
  await c2.query(`ANALYZE; CREATE TABLE "${s.plain}".bench_ok (n int)`);
  await c2.end();
  return s;
}
