-- 公用車 — the city's official cars shared among departments (seed S-2.3.5: fewer cars through
-- shared, efficient management). Staff book a car by the hour; each booked hour is a row of
-- `car_booking_hours`, whose primary key lets one booking at most hold a car's hour on any number
-- of instances. Keys are handed over and returned with the odometer reading, so use per car and
-- month (hours booked, kilometres driven) is known.
CREATE TABLE car_vehicles (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    name TEXT NOT NULL,                      -- 公用車1号 (軽自動車)
    plate TEXT NOT NULL DEFAULT '',          -- 会津 500 あ 12-34
    department_id BIGINT,                    -- the department that keeps it (NULL: shared pool)
    seats BIGINT NOT NULL DEFAULT 4,
    is_demo BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, name)
);

CREATE TABLE car_bookings (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    car_id BIGINT NOT NULL,
    used_on TEXT NOT NULL,                   -- YYYY-MM-DD
    from_hour BIGINT NOT NULL,               -- 8 = 8:00
    to_hour BIGINT NOT NULL,                 -- exclusive: 8–10 is two hours
    user_id BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    destination TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,                    -- booked | out | returned | cancelled
    key_out_at TEXT,
    odometer_out BIGINT,
    key_in_at TEXT,
    odometer_in BIGINT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX car_bookings_by_day ON car_bookings (organization_id, used_on);

CREATE TABLE car_booking_hours (
    organization_id BIGINT NOT NULL,
    car_id BIGINT NOT NULL,
    used_on TEXT NOT NULL,
    hour BIGINT NOT NULL,
    booking_id BIGINT NOT NULL,
    PRIMARY KEY (organization_id, car_id, used_on, hour)
);
