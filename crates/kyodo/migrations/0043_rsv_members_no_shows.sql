-- 施設予約: a group's members (構成員名簿), and bookings not used (不使用).

-- A 団体登録's members as the group lists them, in its order, each in the city (市内在住・在勤・在学)
-- or not. The registration's `resident` for a group follows from them: more than half in the city.
-- Personal data: shown to the group itself and to staff only.
CREATE TABLE rsv_group_members (
    organization_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    resident BIGINT NOT NULL CHECK (resident IN (0, 1)),
    PRIMARY KEY (organization_id, user_id, position),
    FOREIGN KEY (organization_id, user_id) REFERENCES rsv_registrations (organization_id, user_id)
);

-- 不使用: a 本予約 nobody came for, marked by staff on or after the day of use (and unmarked if
-- marked by mistake). The slot stays let and paid; the facility's 利用状況 counts it apart.
ALTER TABLE rsv_bookings ADD COLUMN no_show_at TEXT;
ALTER TABLE rsv_bookings ADD COLUMN no_show_by BIGINT;
