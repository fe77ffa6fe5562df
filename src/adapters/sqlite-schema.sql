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
-- accounts.holds and opt_outs, actions.channels and conversation came later: on a database
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
  opt_outs   TEXT   -- JSON array of channels the owner opted out of, e.g. '["sms"]'; NULL when none
) WITHOUT ROWID;

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
