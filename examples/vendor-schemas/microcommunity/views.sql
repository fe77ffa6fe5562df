-- property-dunning over a MicroCommunity-style schema (schema.sql): the ledger contract's
-- views `accounts`, `charges`, `payments` (docs/adapters.md, "Mapping a vendor's own tables"),
-- plus a check of the PMS's own paid-through times. Read-only over the PMS's tables.
--
-- Run it with the views' schema first and the PMS's schema second in the search_path
-- (README.md): the views are created in the first, and the PMS's tables they name are bound
-- when the views are created, so the ledger is then opened with search_path=<views' schema>:
--   PGOPTIONS='-c search_path=hc_dunning,hc' psql "$PD_POSTGRES_URL" -f views.sql
--
-- Mapping decisions (README.md explains each):
-- - An account is a room (pay_fee.payer_obj_id with payer_obj_type '3333') that has a valid
--   fee item; parking spaces' fees ('6666') are no room's and stay out. status_cd '1' rows
--   (deleted fee items, refunded details, ended owner relations) are left out everywhere.
-- - One charge per fee item per month, derived: cycle k starts at start_time + k months in
--   Shanghai wall-clock time (a start on the 31st gives the 28th/29th/30th in short months,
--   the 31st again after), is due on that civil date, named by its month (period), id
--   `<fee_id>:<YYYY-MM>`; every cycle that starts in a month up to the horizon's is billed.
-- - Amount: square_price × built_up_area + additional_amount in numeric (exact), rounded half
--   up to the fen (2 decimals) because price (4 decimals) × area (2) has up to 6; then × 100.
-- - Payments: pay_fee_detail.received_amount (2 decimals: × 100 is exact) on the civil day of
--   create_time in Shanghai. The views trust the money received, not end_time (see
--   pd_paid_through_check).

-- The estate's zone, in one place. (The policy's timeZone must be the same: Asia/Shanghai.)
CREATE FUNCTION pd_estate_time(t timestamptz) RETURNS timestamp
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT t AT TIME ZONE 'Asia/Shanghai' $$;

-- The last day whose month is billed: the setting pd.bill_through (a connection option,
-- `-c pd.bill_through=2026-03-10`, so that a run is reproducible), else today in Shanghai.
CREATE FUNCTION pd_bill_through() RETURNS date
  LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(nullif(current_setting('pd.bill_through', true), '')::date, pd_estate_time(now())::date) $$;

CREATE VIEW accounts AS
SELECT r.room_id                                                     AS id,
       CASE r.room_type WHEN '2020602' THEN 'commercial' ELSE 'residential' END AS segment,
       CASE WHEN u.unit_num = '0' THEN concat_ws('-', f.floor_num, r.room_num)
            ELSE concat_ws('-', f.floor_num, u.unit_num, r.room_num) END AS unit,
       -- The owner (业主, '1001'), not a family member or tenant; the earliest of co-owners.
       (SELECT o.name
          FROM building_owner_room_rel x
          JOIN building_owner o ON o.owner_id = x.owner_id AND o.status_cd = '0'
         WHERE x.room_id = r.room_id AND x.status_cd = '0' AND x.owner_type_cd = '1001'
         ORDER BY x.start_time, x.rel_id
         LIMIT 1)                                                    AS owner_name,
       -- 托管房 (S2 ⑥): the policy's protections read the tag; its 70 % is in its fee config.
       CASE r.state WHEN '2005' THEN '["entrusted"]'::jsonb END      AS owner_tags
FROM building_room r
JOIN building_unit u ON u.unit_id = r.unit_id
JOIN f_floor f ON f.floor_id = u.floor_id
WHERE r.status_cd = '0'
  AND EXISTS (SELECT 1 FROM pay_fee p WHERE p.payer_obj_id = r.room_id AND p.payer_obj_type = '3333' AND p.status_cd = '0');

CREATE VIEW charges AS
SELECT p.payer_obj_id                                             AS account_id,
       p.fee_id || ':' || c.period                                AS id,
       c.period,
       c.due_on,
       f.amount_minor
FROM pay_fee p
JOIN pay_fee_config cfg ON cfg.config_id = p.config_id
LEFT JOIN building_room r ON r.room_id = p.payer_obj_id
-- What is the same for every month of a fee item, worked out once per fee item. OFFSET 0 keeps
-- PostgreSQL from pulling these subqueries up into the outer select list, where each use of a
-- column would be computed again for every month row (the period twice, the amount's numeric
-- arithmetic every month): on 100,000 rooms that halves deriving the charges, and the adapter's
-- `account_id = …` still reaches pay_fee's index (account_id is a column of the outer query).
CROSS JOIN LATERAL (
  SELECT pd_estate_time(p.start_time)                             AS starts,
         -- LEFT JOIN: a fee whose room is gone gives NULL, which the checks report (not a dropped row).
         (round(cfg.square_price * r.built_up_area + cfg.additional_amount, 2) * 100)::bigint AS amount_minor
  OFFSET 0
) f
CROSS JOIN LATERAL (
  SELECT to_char(m.starts, 'YYYY-MM') AS period, m.starts::date AS due_on
  -- Month arithmetic on Shanghai wall-clock time: timestamptz + interval would use the session's zone.
  FROM (SELECT f.starts + k * interval '1 month' AS starts
        FROM generate_series(0, (extract(year FROM pd_bill_through())::int * 12 + extract(month FROM pd_bill_through())::int)
                              - (extract(year FROM f.starts)::int * 12 + extract(month FROM f.starts)::int)) k) m
  OFFSET 0
) c
WHERE p.payer_obj_type = '3333' AND p.status_cd = '0';

CREATE VIEW payments AS
SELECT p.payer_obj_id                           AS account_id,
       d.detail_id                              AS id,
       pd_estate_time(d.create_time)::date      AS paid_on,
       (d.received_amount * 100)::bigint        AS amount_minor
FROM pay_fee_detail d
JOIN pay_fee p ON p.fee_id = d.fee_id
WHERE d.status_cd = '0' AND p.status_cd = '0' AND p.payer_obj_type = '3333';

-- Fee items whose paid-through time (end_time) is not what their payments say: start_time plus
-- the months paid, each paid at its receivable amount. The ledger follows the money, so each
-- row here is a difference between what the PMS shows and what the dunning sees (a waiver or a
-- discount entered as months without money, a hand-edited end_time) for a person to settle.
CREATE VIEW pd_paid_through_check AS
SELECT p.fee_id,
       p.payer_obj_id                                                            AS room_id,
       pd_estate_time(p.end_time)                                                AS end_time,
       pd_estate_time(p.start_time) + coalesce(sum(d.cycles), 0) * interval '1 month' AS paid_through,
       coalesce(sum(d.receivable_amount), 0)                                     AS receivable,
       coalesce(sum(d.received_amount), 0)                                       AS received
FROM pay_fee p
LEFT JOIN pay_fee_detail d ON d.fee_id = p.fee_id AND d.status_cd = '0'
WHERE p.payer_obj_type = '3333' AND p.status_cd = '0'
GROUP BY p.fee_id
HAVING pd_estate_time(p.end_time) <> pd_estate_time(p.start_time) + coalesce(sum(d.cycles), 0) * interval '1 month'
    OR coalesce(sum(d.receivable_amount), 0) <> coalesce(sum(d.received_amount), 0);

-- The adapter reads accounts in room_id order (COLLATE "C") and each account's children by
-- account_id: index those as the views write them, on the PMS's tables.
CREATE INDEX IF NOT EXISTS pd_building_room_id_c ON building_room ((room_id::text) COLLATE "C");
