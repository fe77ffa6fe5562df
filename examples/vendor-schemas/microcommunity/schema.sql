-- A MicroCommunity-style (HC小区) fee schema on PostgreSQL, for the property-dunning example.
--
-- Written for this example from a description of how MicroCommunity keeps fees (one fee item
-- per room with a paid-through time, one detail row per payment, prices in a fee config); it is
-- not MicroCommunity's code. Columns beyond those the description names (room area and number,
-- owner link, the codes below) are this example's guesses at what a real PMS has.
--
-- Run it with the vendor's schema first in the search_path (README.md):
--   PGOPTIONS='-c search_path=hc' psql "$PD_POSTGRES_URL" -f schema.sql
--
-- Conventions of this schema (as in the PMS it imitates):
-- - ids are varchar strings of digits; every table has status_cd: '0' valid, '1' deleted
--   (logically: rows are never removed; a refunded payment detail is status_cd '1' too);
-- - money is DECIMAL yuan; times are instants (timestamptz), never civil dates;
-- - there are no monthly charge rows: a fee item says from when it runs (start_time) and up to
--   when it is paid (end_time); each payment advances end_time by its cycles (months).
-- - No time zone column: the estate is in China (Asia/Shanghai), which views.sql states once.

CREATE TABLE s_community (
  community_id varchar(30) PRIMARY KEY,
  name         varchar(100) NOT NULL,
  address      varchar(200),
  status_cd    varchar(2) NOT NULL DEFAULT '0'
);

-- A building (楼栋) and its entrances (单元).
CREATE TABLE f_floor (
  floor_id     varchar(30) PRIMARY KEY,
  community_id varchar(30) NOT NULL REFERENCES s_community,
  floor_num    varchar(12) NOT NULL,          -- the building's number, e.g. '3'
  status_cd    varchar(2) NOT NULL DEFAULT '0'
);

CREATE TABLE building_unit (
  unit_id   varchar(30) PRIMARY KEY,
  floor_id  varchar(30) NOT NULL REFERENCES f_floor,
  unit_num  varchar(12) NOT NULL,             -- '1', '2'; '0' for the street shops
  status_cd varchar(2) NOT NULL DEFAULT '0'
);

CREATE TABLE building_room (
  room_id       varchar(30) PRIMARY KEY,
  unit_id       varchar(30) NOT NULL REFERENCES building_unit,
  community_id  varchar(30) NOT NULL REFERENCES s_community,
  room_num      varchar(12) NOT NULL,         -- '1201' (floor 12, flat 01); 'S05' for a shop
  layer         integer NOT NULL,             -- the floor the room is on
  built_up_area DECIMAL(12,2) NOT NULL,       -- m², the area the property fee is charged on
  room_type     varchar(12) NOT NULL,         -- '1010301' residence (住宅), '2020602' shop (商铺)
  state         varchar(12) NOT NULL,         -- '2001' occupied (已入住), '2003' vacant (空置), '2005' entrusted (托管)
  status_cd     varchar(2) NOT NULL DEFAULT '0'
);

CREATE TABLE building_owner (
  owner_id  varchar(30) PRIMARY KEY,
  name      varchar(64) NOT NULL,
  link      varchar(20),                      -- phone number
  status_cd varchar(2) NOT NULL DEFAULT '0'
);

-- Owners of a room (co-owners, family members, a tenant of a shop), each with a type.
CREATE TABLE building_owner_room_rel (
  rel_id        varchar(30) PRIMARY KEY,
  owner_id      varchar(30) NOT NULL REFERENCES building_owner,
  room_id       varchar(30) NOT NULL REFERENCES building_room,
  owner_type_cd varchar(12) NOT NULL,         -- '1001' owner (业主), '1002' family member, '1003' tenant
  start_time    timestamptz NOT NULL,
  status_cd     varchar(2) NOT NULL DEFAULT '0'
);

CREATE TABLE pay_fee_config (
  config_id         varchar(30) PRIMARY KEY,
  community_id      varchar(30) NOT NULL REFERENCES s_community,
  fee_name          varchar(100) NOT NULL,
  fee_type_cd       varchar(12) NOT NULL,     -- '888800010001' property fee (物业费), '888800010008' parking fee
  square_price      DECIMAL(12,4) NOT NULL,   -- yuan per m² per month
  additional_amount DECIMAL(12,2) NOT NULL,   -- yuan per month on top of the area price
  payment_cycle     integer NOT NULL,         -- months the estate asks for at once (1, 3, 12)
  status_cd         varchar(2) NOT NULL DEFAULT '0'
);

-- One fee item per payer: runs from start_time; paid through end_time.
CREATE TABLE pay_fee (
  fee_id         varchar(30) PRIMARY KEY,
  community_id   varchar(30) NOT NULL REFERENCES s_community,
  config_id      varchar(30) NOT NULL REFERENCES pay_fee_config,
  fee_type_cd    varchar(12) NOT NULL,
  payer_obj_id   varchar(30) NOT NULL,        -- the room (or the parking space)
  payer_obj_type varchar(12) NOT NULL,        -- '3333' room, '6666' parking space
  start_time     timestamptz NOT NULL,
  end_time       timestamptz NOT NULL,        -- paid through: start_time + the months paid
  create_time    timestamptz NOT NULL,
  status_cd      varchar(2) NOT NULL DEFAULT '0'
);

-- One row per payment of a fee item.
CREATE TABLE pay_fee_detail (
  detail_id         varchar(30) PRIMARY KEY,
  fee_id            varchar(30) NOT NULL REFERENCES pay_fee,
  community_id      varchar(30) NOT NULL REFERENCES s_community,
  cycles            DECIMAL(8,2) NOT NULL,    -- months paid
  receivable_amount DECIMAL(12,2) NOT NULL,   -- yuan due for those months
  received_amount   DECIMAL(12,2) NOT NULL,   -- yuan actually received
  prime_rate        varchar(12) NOT NULL,     -- payment method: '1' cash, '2' card, '5' WeChat, '6' Alipay
  remark            varchar(200),
  create_time       timestamptz NOT NULL,     -- when it was paid
  status_cd         varchar(2) NOT NULL DEFAULT '0'
);

-- The PMS's own lookups (the views' indexes are in views.sql).
CREATE INDEX pay_fee_payer ON pay_fee (payer_obj_id);
CREATE INDEX pay_fee_detail_fee ON pay_fee_detail (fee_id);
CREATE INDEX building_owner_room_rel_room ON building_owner_room_rel (room_id);
