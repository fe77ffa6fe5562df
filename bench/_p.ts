import Database from "better-sqlite3";
import { sqliteLedger } from "../src/adapters/sqlite.js";
const file = process.argv[2]!;
const db = new Database(file, { readonly: true });
const sql = `SELECT a.id, a.segment, a.unit, a.owner_name, a.owner_tags,
  (SELECT json_group_array(json_array(c.id, c.period, c.due_on, c.amount_minor)) FROM charges c WHERE c.account_id = a.id),
  (SELECT json_group_array(json_array(p.id, p.paid_on, p.amount_minor)) FROM payments p WHERE p.account_id = a.id),
  (SELECT json_group_array(json_array(x.id, x.stage, x.done_on, x.covers)) FROM actions x WHERE x.account_id = a.id)
FROM accounts a ORDER BY a.id`;
const ledger = await sqliteLedger(file, { readonly: true });
for (let k = 0; k < 3; k++) {
  let t = performance.now(); let n = 0;
  for (const r of db.prepare(sql).raw().iterate()) n++;
  const sqlOnly = performance.now() - t;
  t = performance.now(); n = 0;
  for (const r of db.prepare(sql).raw().iterate() as IterableIterator<string[]>) { n += JSON.parse(r[5]!).length + JSON.parse(r[6]!).length + JSON.parse(r[7]!).length; }
  const parse = performance.now() - t;
  t = performance.now(); n = 0;
  for await (const e of ledger.accounts()) n++;
  const full = performance.now() - t;
  console.log(`sql ${sqlOnly.toFixed(0)} ms, sql+parse ${parse.toFixed(0)} ms, adapter ${full.toFixed(0)} ms`);
}
