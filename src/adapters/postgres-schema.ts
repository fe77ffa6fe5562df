/**
 * The PostgreSQL ledger schema, as a string so that the built package need not read a file at
 * run time. A copy of `postgres-schema.sql` (the documented source); `postgres.test.ts` keeps the
 * two identical, so edit the .sql file and paste it here.
 */
export const POSTGRES_SCHEMA: string = `-- property-dunning: the PostgreSQL ledger schema.
--
-- The postgres adapter runs this on first use (every statement is idempotent), in the schema it
-- was given (or the connection's search_path), under an advisory lock so that several processes
-- opening the same ledger at once do not race. It reads only the table and column names below,
-- so a vendor can also expose existing tables as views of the same names and columns (see
-- docs/adapters.md). Same tables and columns as the SQLite schema.
--
-- Money is integer minor units (fen). Dates are text: YYYY-MM-DD, periods YYYY-MM (a view may
-- give DATE columns instead: JSON renders them as YYYY-MM-DD). Dates and JSON columns are
-- deliberately text: a malformed value is streamed as it is and reported by the scheduler's
-- validator (or, for JSON that does not parse, by the adapter), naming it, instead of being
-- rejected here.
--
-- Ids are COLLATE "C", so that the primary keys are in Unicode code point order, the order
-- every bundled adapter streams in: streaming is an index scan, and each account's charges,
-- payments and actions are one range of their (account_id, id) primary key.
--
-- accounts.holds and opt_outs, actions.channels and conversation came later: on a ledger
-- created before them, the adapter adds them (ALTER TABLE … ADD COLUMN) on first writable use.

CREATE TABLE IF NOT EXISTS accounts (
  id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  segment    TEXT,  -- 'residential' | 'commercial' | NULL
  unit       TEXT,  -- e.g. '8-2-1201'
  owner_name TEXT,
  owner_tags TEXT,  -- JSON array of strings, e.g. '["elderly"]'; NULL when none
  holds      TEXT,  -- JSON array of holds (disputes, installment plans, promises to pay, manual holds); NULL when none
  opt_outs   TEXT   -- JSON array of channels the owner opted out of, e.g. '["sms"]'; NULL when none
);

CREATE TABLE IF NOT EXISTS charges (
  account_id   TEXT COLLATE "C" NOT NULL,
  id           TEXT COLLATE "C" NOT NULL,  -- unique within the account
  period       TEXT,                       -- YYYY-MM
  due_on       TEXT,                       -- YYYY-MM-DD
  amount_minor BIGINT,                     -- fen, >= 0
  PRIMARY KEY (account_id, id)
);

CREATE TABLE IF NOT EXISTS payments (
  account_id   TEXT COLLATE "C" NOT NULL,
  id           TEXT COLLATE "C" NOT NULL,  -- unique within the account
  paid_on      TEXT,                       -- YYYY-MM-DD
  amount_minor BIGINT,                     -- fen, > 0
  PRIMARY KEY (account_id, id)
);

-- Actions carried out (written back by record()); id is the planned action's id.
CREATE TABLE IF NOT EXISTS actions (
  account_id   TEXT COLLATE "C" NOT NULL,
  id           TEXT COLLATE "C" NOT NULL,
  stage        TEXT,
  done_on      TEXT,     -- YYYY-MM-DD
  covers       TEXT,     -- JSON array of instance keys; NULL when the id alone counts
  channels     TEXT,     -- JSON array of the channels actually used; NULL when the stage's
  conversation BOOLEAN,  -- true when a call or visit reached the owner; NULL when unknown
  PRIMARY KEY (account_id, id)
);

-- The shard (0 … shard_count-1) of an account id: FNV-1a 32 over the id's UTF-16 code units,
-- modulo shard_count, exactly as shardOf() in src/schedule/hash.ts computes it (characters
-- above U+FFFF count as their two surrogates). Needs a UTF8 database. The adapter filters with
-- it inside PostgreSQL, so that a shard's stream never assembles the other shards' accounts;
-- without it (a read-only ledger of vendor views that lacks it) the adapter filters in
-- JavaScript instead, which is slower.
CREATE OR REPLACE FUNCTION pd_shard_of(account_id text, shard_count integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  h bigint := 2166136261;
  c integer;
  ch text;
BEGIN
  FOREACH ch IN ARRAY string_to_array(account_id, NULL) LOOP
    c := ascii(ch);
    IF c > 65535 THEN
      c := c - 65536;
      h := ((h # (55296 + (c >> 10))) * 16777619) & 4294967295;
      c := 56320 + (c & 1023);
    END IF;
    h := ((h # c) * 16777619) & 4294967295;
  END LOOP;
  RETURN (h % shard_count)::integer;
END
$$;
`;
