/**
 * Fills a MicroCommunity-style schema (schema.sql) with the made-up estate of estate.ts.
 *
 *   npx tsx examples/vendor-schemas/microcommunity/fill.ts <postgres-url> <schema> [seed] [as-of]
 *
 * Deterministic: the same seed and as-of day give the same rows (default seed 15, as-of 2026-03-10).
 */
import pg from "pg";
import { generateHcEstate, type HcEstate } from "./estate.js";

/** Writes every row of `estate` into `schema`'s tables, in one transaction. */
export async function fillEstate(client: pg.Client, schema: string, estate: HcEstate): Promise<void> {
  const community = estate.community.community_id;
  const tables: [string, object[]][] = [
    ["s_community", [estate.community]],
    ["f_floor", estate.floors.map((r) => ({ ...r, community_id: community }))],
    ["building_unit", estate.units],
    ["building_room", estate.rooms.map((r) => ({ ...r, community_id: community }))],
    ["building_owner", estate.owners],
    ["building_owner_room_rel", estate.rels],
    ["pay_fee_config", estate.configs.map((r) => ({ ...r, community_id: community }))],
    ["pay_fee", estate.fees.map((r) => ({ ...r, community_id: community }))],
    ["pay_fee_detail", estate.details.map((r) => ({ ...r, community_id: community }))],
  ];
  const quoted = `"${schema.replace(/"/g, '""')}"`;
  await client.query("BEGIN");
  try {
    // json_populate_recordset fills each table's columns by name; status_cd and others left out take their defaults.
    for (const [table, rows] of tables) {
      const columns = Object.keys(rows[0] ?? {}).map((c) => `"${c}"`).join(", ");
      await client.query(`INSERT INTO ${quoted}.${table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${quoted}.${table}, $1::json)`, [JSON.stringify(rows)]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [url, schema, seed = "15", asOf = "2026-03-10"] = process.argv.slice(2);
  if (url === undefined || schema === undefined) {
    console.error("usage: fill.ts <postgres-url> <schema> [seed] [as-of]");
    process.exit(2);
  }
  const estate = generateHcEstate(Number(seed), asOf);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fillEstate(client, schema, estate);
  } finally {
    await client.end();
  }
  console.log(`filled ${schema}: ${estate.rooms.length} rooms, ${estate.fees.length} fee items, ${estate.details.length} payment details`);
}
