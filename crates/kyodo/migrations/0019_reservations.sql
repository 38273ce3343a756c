-- 施設予約 — public facilities (公共施設) and their rooms, booked by registered users.
-- A facility is run by the city (direct) or by a 指定管理者 (designated manager, named).
CREATE TABLE rsv_facilities (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    kana TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',          -- as published: 9:00〜21:00
    closed_weekdays TEXT NOT NULL DEFAULT '', -- ISO weekday numbers, comma-separated: "1" = 月曜休館
    contact TEXT NOT NULL DEFAULT '',        -- the facility's public telephone
    manager_kind TEXT NOT NULL DEFAULT 'direct', -- direct | designated (指定管理者)
    manager_name TEXT NOT NULL DEFAULT '',
    is_demo BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, name)
);

-- A room, hall or court; `sort` orders them on the facility's page.
CREATE TABLE rsv_rooms (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    facility_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    area_m2 DOUBLE PRECISION,
    equipment TEXT NOT NULL DEFAULT '',
    sort BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, facility_id, name),
    FOREIGN KEY (organization_id, facility_id) REFERENCES rsv_facilities (organization_id, id)
);

-- The slots a room is let in (午前 / 午後 / 夜間, or one per hour) and the fee of each per audience:
-- 市内 (resident), 市外 (non-resident), 営利 (commercial use, never reduced).
CREATE TABLE rsv_slots (
    organization_id BIGINT NOT NULL,
    room_id BIGINT NOT NULL,
    code TEXT NOT NULL,                      -- am, pm, night, h09 …
    label TEXT NOT NULL,                     -- 午前
    starts_at TEXT NOT NULL,                 -- HH:MM
    ends_at TEXT NOT NULL,
    fee_resident BIGINT NOT NULL,
    fee_nonresident BIGINT NOT NULL,
    fee_commercial BIGINT NOT NULL,
    PRIMARY KEY (organization_id, room_id, code),
    FOREIGN KEY (organization_id, room_id) REFERENCES rsv_rooms (organization_id, id)
);

-- 休館: a facility (room_id 0) or one room closed for a period (repairs, events), inclusive dates.
CREATE TABLE rsv_closures (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    facility_id BIGINT NOT NULL,
    room_id BIGINT NOT NULL DEFAULT 0,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX rsv_closures_by_facility ON rsv_closures (organization_id, facility_id, starts_on);

-- 利用者登録: one registration covers every facility. Made online as 仮登録 (provisional) and made
-- 本登録 (active) by staff at a counter after checking identity. 減免 is registered per fiscal year.
CREATE TABLE rsv_registrations (
    organization_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    kind TEXT NOT NULL,                      -- individual | group
    group_name TEXT NOT NULL DEFAULT '',
    representative TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    resident BIGINT NOT NULL,                -- 1: 市内 (lives, works or studies in the city)
    status TEXT NOT NULL,                    -- provisional | active
    registered_at TEXT NOT NULL,
    activated_at TEXT,
    activated_by BIGINT,
    PRIMARY KEY (organization_id, user_id)
);

CREATE TABLE rsv_exemptions (
    organization_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    category TEXT NOT NULL,                  -- 障害者団体, 子ども会 …
    rate_percent BIGINT NOT NULL,            -- 100 = 全額免除, 50 = 半額
    PRIMARY KEY (organization_id, user_id, fiscal_year)
);

-- A booking of one room and slot on one day. `held` is 1 while it holds the slot (仮予約 or 本予約)
-- and 0 once cancelled or released: the partial unique index lets one booking at most hold a slot,
-- whatever the number of Kyodo instances. A 仮予約 past its deadline no longer holds it (every
-- booking first releases those in the same transaction; a timer releases the rest).
CREATE TABLE rsv_bookings (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    number TEXT NOT NULL,                    -- 予約番号: R8-000123 (per fiscal year of booking)
    room_id BIGINT NOT NULL,
    used_on TEXT NOT NULL,                   -- YYYY-MM-DD
    slot_code TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    status TEXT NOT NULL,                    -- provisional | confirmed | cancelled | released
    held BIGINT NOT NULL DEFAULT 1,
    purpose TEXT NOT NULL,
    attendees BIGINT NOT NULL,
    audience TEXT NOT NULL,                  -- resident | nonresident | commercial
    fee BIGINT NOT NULL,                     -- before 減免, 円
    exemption_percent BIGINT NOT NULL DEFAULT 0,
    fee_due BIGINT NOT NULL,
    deadline TEXT NOT NULL,                  -- a 仮予約 not completed by then is released
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    confirmed_by BIGINT,
    ended_at TEXT,                           -- cancelled or released
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, number)
);
CREATE UNIQUE INDEX rsv_bookings_one_holder ON rsv_bookings (organization_id, room_id, used_on, slot_code) WHERE held = 1;
CREATE INDEX rsv_bookings_by_day ON rsv_bookings (organization_id, used_on);
CREATE INDEX rsv_bookings_by_user ON rsv_bookings (organization_id, user_id, used_on);
CREATE INDEX rsv_bookings_due ON rsv_bookings (organization_id, deadline) WHERE status = 'provisional';

-- Booking numbers, per organization and fiscal year.
CREATE TABLE rsv_counters (
    organization_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (organization_id, fiscal_year)
);
