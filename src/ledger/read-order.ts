/**
 * The order every ledger streams in, and its cursor: by shard key (the owner's id, else the
 * account id), then by account id, both in Unicode code point order. All of an owner's units
 * arrive together, so `plan()` plans an owner when the key changes and holds one owner's units
 * at most (docs/ledger-format.md, "The read order").
 */

/**
 * Orders account ids by Unicode code point, which is the order SQLite's default `BINARY`
 * collation gives UTF-8 text (and PostgreSQL's `COLLATE "C"`). Plain `<` on JavaScript strings
 * compares UTF-16 code units and differs from it only for characters above U+FFFF against
 * U+E000–U+FFFF; every bundled adapter uses this function so they all stream in one order.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // At the first differing unit, move surrogates (D800–DFFF) above E000–FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * What a ledger shards and streams by: the owner's id (`owner.id`, when a non-empty string), else
 * the account id, so that every unit of an owner is in one shard and arrives next to the others.
 */
export function shardKeyOf(snapshot: { id: string; owner?: { id?: unknown } }): string {
  return namesOwner(snapshot) ? (snapshot.owner!.id as string) : snapshot.id;
}

/** Whether a unit names its owner (`owner.id`, a non-empty string), so that its key is the owner's. */
export function namesOwner(snapshot: { owner?: { id?: unknown } }): boolean {
  const owner = snapshot.owner?.id;
  return typeof owner === "string" && owner !== "";
}

/** A place in the read order: the shard key, then the account id. */
export interface ReadPosition {
  key: string;
  id: string;
}

/** The read order: by key, then by id (code point order). */
export function compareReadOrder(a: ReadPosition, b: ReadPosition): number {
  return compareIds(a.key, b.key) || compareIds(a.id, b.id);
}

/**
 * The cursor of an account at `position`: the JSON text `["<key>","<id>"]`. (The memory, JSON,
 * SQLite and PostgreSQL ledgers; JSON Lines counts lines.)
 */
export function readCursor(position: ReadPosition): string {
  return JSON.stringify([position.key, position.id]);
}

/**
 * Where to resume after `cursor`: a position ({@link readCursor}'s form), or an account id alone
 * (`{ id }`), the cursor of the versions that streamed in id order. Such a cursor was saved while
 * every unit that names an owner still waited for the end of its shard (none was planned), so
 * resuming after it reads every unit that names an owner and the others after that id
 * ({@link resumesAt}): nothing is lost, and the owners are planned again, which the journal
 * and the recorded actions make harmless.
 */
export function parseCursor(cursor: string): ResumePoint {
  if (cursor.startsWith("[")) {
    try {
      const value: unknown = JSON.parse(cursor);
      if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") return { key: value[0], id: value[1] };
    } catch {
      // Not a position: an account id that starts with "[".
    }
  }
  return { id: cursor };
}

/** Where a stream resumes: after a position, or after an account id alone (`key` undefined; see {@link parseCursor}). */
export type ResumePoint = ReadPosition | { key?: undefined; id: string };

/** Whether the account at `position` (naming an owner or not) is read by a stream resumed after `after` (a parsed cursor). */
export function resumesAt(position: ReadPosition, namesOwner: boolean, after: ResumePoint): boolean {
  if (after.key !== undefined) return compareReadOrder(position, after) > 0;
  return namesOwner || compareIds(position.key, after.id) > 0;
}
