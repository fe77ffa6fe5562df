-- property-dunning: the PostgreSQL ledger schema.
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
-- accounts.holds, opt_outs, estate and owner_id, actions.channels and conversation came later: on a ledger
-- created before them, the adapter adds them (ALTER TABLE … ADD COLUMN) on first writable use.

CREATE TABLE IF NOT EXISTS accounts (
  id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  segment    TEXT,  -- 'residential' | 'commercial' | NULL
  unit       TEXT,  -- e.g. '8-2-1201'
  owner_name TEXT,
  owner_tags TEXT,  -- JSON array of strings, e.g. '["elderly"]'; NULL when none
  holds      TEXT,  -- JSON array of holds (disputes, installment plans, promises to pay, manual holds); NULL when none
  opt_outs   TEXT,  -- JSON array of channels the owner opted out of, e.g. '["sms"]'; NULL when none
  estate     TEXT,  -- the estate the unit belongs to, in a ledger of several; NULL when one estate
  owner_id   TEXT   -- the owner's id, shared by all their units; NULL when the unit is its own owner
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
-- modulo shard_count, exactly as shardOf() in src/ledger/shard.ts computes it (characters
-- above U+FFFF count as their two surrogates). Needs a UTF8 database. The adapter filters with
-- it inside PostgreSQL, so that a shard's stream never assembles the other shards' accounts;
-- without it (a read-only ledger of vendor views that lacks it) the adapter filters in
-- JavaScript instead, which is slower. Every shard calls it once per account of the ledger: an
-- id that is all ASCII (its UTF-16 code units are its UTF-8 bytes) is hashed byte by byte, one
-- statement a character (about half the time of the general loop below, which handles the rest).
CREATE OR REPLACE FUNCTION pd_shard_of(account_id text, shard_count integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  h bigint := 2166136261;
  b bytea := convert_to(account_id, 'UTF8');
  n integer := octet_length(b);
  c integer;
  ch text;
BEGIN
  IF n = length(account_id) THEN
    FOR i IN 0 .. n - 1 LOOP
      h := ((h # get_byte(b, i)) * 16777619) & 4294967295;
    END LOOP;
    RETURN (h % shard_count)::integer;
  END IF;
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

-- The paid-up fast path (docs/adapters.md): plan() lets the adapter leave out the rows of an
-- account that is paid up and has no holds, unread and unchecked. That is sound only while the
-- database vouches for them, so each child table has a partial index of its rows that the
-- scheduler's validator (normalizeAccount) would refuse: a date that is not a real YYYY-MM-DD, a
-- period that is not YYYY-MM, an amount out of range, an empty id, a covers or channels cell
-- that is not a JSON array of strings (of channel names), a NULL where a value must be.
-- PostgreSQL keeps the indexes as rows are written, and they are empty while the rows are sound;
-- an account with a row in one is read and checked in full, so its problem is reported as
-- before. Nothing is refused on write. A ledger made before them gets them on first writable
-- use; read-only, or through views, without them, every account is read in full.

CREATE OR REPLACE FUNCTION pd_civil_date_ok(cell text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN cell ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN
    substr(cell, 9, 2)::int <= CASE substr(cell, 6, 2)::int
      WHEN 2 THEN CASE WHEN substr(cell, 1, 4)::int % 4 = 0 AND (substr(cell, 1, 4)::int % 100 <> 0 OR substr(cell, 1, 4)::int % 400 = 0) THEN 29 ELSE 28 END
      WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END
  ELSE false END
$$;

CREATE OR REPLACE FUNCTION pd_period_ok(cell text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT cell ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
$$;

-- NULL, or a JSON array of strings (each one of allowed, unless that is NULL).
CREATE OR REPLACE FUNCTION pd_json_strings_ok(cell text, allowed text[]) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  j jsonb;
BEGIN
  IF cell IS NULL THEN RETURN true; END IF;
  BEGIN
    j := cell::jsonb;
  EXCEPTION WHEN others THEN
    RETURN false;
  END;
  RETURN jsonb_typeof(j) = 'array' AND NOT EXISTS (
    SELECT 1 FROM jsonb_array_elements(j) e WHERE jsonb_typeof(e) <> 'string' OR (allowed IS NOT NULL AND NOT (e #>> '{}') = ANY (allowed)));
END
$$;

CREATE INDEX IF NOT EXISTS pd_charges_unusable ON charges (account_id)
  WHERE (id <> '' AND pd_period_ok(period) AND pd_civil_date_ok(due_on) AND amount_minor BETWEEN 0 AND 9007199254740991) IS NOT TRUE;

CREATE INDEX IF NOT EXISTS pd_payments_unusable ON payments (account_id)
  WHERE (pd_civil_date_ok(paid_on) AND amount_minor BETWEEN 1 AND 9007199254740991) IS NOT TRUE;

CREATE INDEX IF NOT EXISTS pd_actions_unusable ON actions (account_id)
  WHERE (id <> '' AND stage IS NOT NULL AND pd_civil_date_ok(done_on) AND pd_json_strings_ok(covers, NULL)
    AND pd_json_strings_ok(channels, ARRAY['doorPosting', 'handDelivery', 'sms', 'wechat', 'appPush', 'email', 'phone', 'homeVisit', 'registeredMail', 'courier', 'expressMail', 'staffQueue'])) IS NOT TRUE;

-- The read order (docs/ledger-format.md, "The read order"): accounts stream by owner (owner_id,
-- else the account's own id), then by id, so that an owner's units arrive together and plan()
-- holds one owner's units at most. This index gives that order without sorting the table: its
-- expression is the streaming statement's, word for word. Created after the added columns, on
-- every writable open that finds it missing (not where accounts is a view).
CREATE INDEX IF NOT EXISTS pd_accounts_read_order ON accounts ((COALESCE(NULLIF(owner_id, ''), id) COLLATE "C"), id);
