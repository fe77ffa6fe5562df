-- property-dunning: the SQLite ledger schema.
--
-- The sqlite adapter runs this on first use (every statement is idempotent) and switches the
-- database to WAL mode. It reads only the column names below, so a vendor can also expose
-- existing tables as views of the same names and columns.
--
-- Money is integer minor units (fen). Dates are text: YYYY-MM-DD, periods YYYY-MM. Columns are
-- deliberately loosely typed: a malformed value is streamed as it is and reported by the
-- scheduler's validator, naming the field, instead of being rejected here.
--
-- The child tables are WITHOUT ROWID with (account_id, id) keys, so reading them in account
-- order is a sequential scan; that key is also the index on account_id.
--
-- accounts.holds, opt_outs, estate and owner_id, actions.channels and conversation came later: on a database
-- created before them, the adapter adds them (ALTER TABLE … ADD COLUMN) on first writable use.
-- Earlier versions also kept a checked copy of each account (accounts.doc, the pd_*_doc
-- triggers and pd_meta); a writable open removes them: the rows are the one truth.

CREATE TABLE IF NOT EXISTS accounts (
  id         TEXT NOT NULL PRIMARY KEY,
  segment    TEXT,  -- 'residential' | 'commercial' | NULL
  unit       TEXT,  -- e.g. '8-2-1201'
  owner_name TEXT,
  owner_tags TEXT,  -- JSON array of strings, e.g. '["elderly"]'; NULL when none
  holds      TEXT,  -- JSON array of holds (disputes, installment plans, promises to pay, manual holds); NULL when none
  opt_outs   TEXT,  -- JSON array of channels the owner opted out of, e.g. '["sms"]'; NULL when none
  estate     TEXT,  -- the estate the unit belongs to, in a ledger of several; NULL when one estate
  owner_id   TEXT   -- the owner's id, shared by all their units; NULL when the unit is its own owner
) WITHOUT ROWID;

-- The read order (docs/ledger-format.md, "The read order"): accounts stream by owner (owner_id,
-- else the account's own id), then by id, so that an owner's units arrive together and plan()
-- holds one owner's units at most. This index gives that order without sorting the table: its
-- expression is the streaming statement's, word for word. Created with the added columns.
CREATE INDEX IF NOT EXISTS pd_accounts_read_order ON accounts (COALESCE(NULLIF(owner_id, ''), id), id);

CREATE TABLE IF NOT EXISTS charges (
  account_id   TEXT NOT NULL,
  id           TEXT NOT NULL,  -- unique within the account
  period       TEXT,           -- YYYY-MM
  due_on       TEXT,           -- YYYY-MM-DD
  amount_minor INTEGER,        -- fen, >= 0
  PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS payments (
  account_id   TEXT NOT NULL,
  id           TEXT NOT NULL,  -- unique within the account
  paid_on      TEXT,           -- YYYY-MM-DD
  amount_minor INTEGER,        -- fen, > 0
  PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

-- Actions carried out (written back by record()); id is the planned action's id.
CREATE TABLE IF NOT EXISTS actions (
  account_id   TEXT NOT NULL,
  id           TEXT NOT NULL,
  stage        TEXT,
  done_on      TEXT,     -- YYYY-MM-DD
  covers       TEXT,     -- JSON array of instance keys; NULL when the id alone counts
  channels     TEXT,     -- JSON array of the channels actually used; NULL when the stage's
  conversation INTEGER,  -- 1 when a call or visit reached the owner, 0 when not; NULL when unknown
  PRIMARY KEY (account_id, id)
) WITHOUT ROWID;

-- The paid-up fast path (docs/adapters.md): plan() lets the adapter leave out the rows of an
-- account that is paid up and has no holds, unread and unchecked. That is sound only while the
-- database vouches for them, so each child table has a partial index of its rows that the
-- scheduler's validator (normalizeAccount) would refuse: a value of the wrong type, a date that
-- is not a real YYYY-MM-DD, a period that is not YYYY-MM, an amount out of range, a covers or
-- channels cell that is not a JSON array of strings (of channel names). SQLite keeps the index as
-- rows are written, and it is empty while the rows are sound; an account with a row in it is
-- read and checked in full, so its problem is reported as before. Nothing is refused on write.
-- (The covers and channels test counts quotes: in a minified JSON array whose string escapes
-- \\ and \" are removed, n strings and nothing else means 2n quotes, n - 1 '","' and '["…"]'.)
-- A ledger made before these indexes gets them on first writable use; read-only, or through
-- views, without them, every account is read in full.

CREATE INDEX IF NOT EXISTS pd_charges_unusable ON charges (account_id) WHERE (
  typeof(id) = 'text' AND id <> ''
  AND CASE WHEN typeof(period) = 'text' AND period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' THEN substr(period, 6) BETWEEN '01' AND '12' ELSE 0 END
  AND CASE WHEN typeof(due_on) = 'text' AND due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN date(due_on) = due_on ELSE 0 END
  AND typeof(amount_minor) = 'integer' AND amount_minor BETWEEN 0 AND 9007199254740991
) IS NOT 1;

CREATE INDEX IF NOT EXISTS pd_payments_unusable ON payments (account_id) WHERE (
  typeof(id) = 'text'
  AND CASE WHEN typeof(paid_on) = 'text' AND paid_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN date(paid_on) = paid_on ELSE 0 END
  AND typeof(amount_minor) = 'integer' AND amount_minor BETWEEN 1 AND 9007199254740991
) IS NOT 1;

CREATE INDEX IF NOT EXISTS pd_actions_unusable ON actions (account_id) WHERE (
  typeof(id) = 'text' AND id <> '' AND typeof(stage) = 'text'
  AND CASE WHEN typeof(done_on) = 'text' AND done_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN date(done_on) = done_on ELSE 0 END
  AND CASE WHEN covers IS NULL THEN 1 WHEN typeof(covers) = 'text' AND json_valid(covers) THEN
    json_type(covers) = 'array' AND (json_array_length(covers) = 0 OR substr(json(covers), 1, 2) = '["' AND substr(json(covers), -2) = '"]'
      AND length(replace(replace(json(covers), '\\', ''), '\"', '')) - length(replace(replace(replace(json(covers), '\\', ''), '\"', ''), '"', '')) = 2 * json_array_length(covers)
      AND length(replace(replace(json(covers), '\\', ''), '\"', '')) - length(replace(replace(replace(json(covers), '\\', ''), '\"', ''), '","', '')) = 3 * (json_array_length(covers) - 1))
    ELSE 0 END
  AND CASE WHEN channels IS NULL THEN 1 WHEN typeof(channels) = 'text' AND json_valid(channels) THEN
    json_type(channels) = 'array' AND (json_array_length(channels) = 0 OR substr(json(channels), 1, 2) = '["' AND substr(json(channels), -2) = '"]'
      AND length(replace(replace(json(channels), '\\', ''), '\"', '')) - length(replace(replace(replace(json(channels), '\\', ''), '\"', ''), '"', '')) = 2 * json_array_length(channels)
      AND length(replace(replace(json(channels), '\\', ''), '\"', '')) - length(replace(replace(replace(json(channels), '\\', ''), '\"', ''), '","', '')) = 3 * (json_array_length(channels) - 1))
    AND trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(channels), '"doorPosting"', ''), '"handDelivery"', ''), '"sms"', ''), '"wechat"', ''), '"appPush"', ''), '"email"', ''), '"phone"', ''), '"homeVisit"', ''), '"registeredMail"', ''), '"courier"', ''), '"expressMail"', ''), '"staffQueue"', ''), '[],') = ''
    ELSE 0 END
  AND (conversation IS NULL OR conversation IN (0, 1))
) IS NOT 1;
