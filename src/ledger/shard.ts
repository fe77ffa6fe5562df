/**
 * Stable, non-cryptographic hashes: the same text gives the same value on every machine and
 * JavaScript engine. Action ids and ledger shards rely on that.
 */

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;
const utf8 = new TextEncoder();

/**
 * FNV-1a 64 over the UTF-8 bytes of `text`, as 16 hex digits.
 *
 * @example fnv1a64("a") // "af63dc4c8601ec8c"
 */
export function fnv1a64(text: string): string {
  let h = FNV64_OFFSET;
  for (const byte of utf8.encode(text)) h = ((h ^ BigInt(byte)) * FNV64_PRIME) & MASK64;
  return h.toString(16).padStart(16, "0");
}

/**
 * FNV-1a 32 over the UTF-16 code units of `text`, as an unsigned integer. Cheap enough to shard
 * millions of account ids.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The shard (0 … count-1) an account id belongs to. */
export function shardOf(accountId: string, count: number): number {
  return fnv1a32(accountId) % count;
}
