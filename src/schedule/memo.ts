/**
 * The one bounded memo of the pure core: per-policy and per-zone tables of what a value reads as
 * (a day's text, a contact window, a zone's offsets, a recorded key) that every account asks
 * again. Emptied when it holds `limit` entries, so a ledger of ever-new keys cannot grow it.
 */

/** `table`'s value for `key`, made by `make` on first use (`undefined` and `null` are remembered too). */
export function remembered<K, V>(table: Map<K, V>, key: K, limit: number, make: (key: K) => V): V {
  const known = table.get(key);
  if (known !== undefined || table.has(key)) return known as V;
  if (table.size >= limit) table.clear();
  const value = make(key);
  table.set(key, value);
  return value;
}
