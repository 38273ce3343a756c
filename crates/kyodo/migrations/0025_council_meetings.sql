-- A council's meetings: announced beforehand (日時, 場所, 議題), public or closed with the reason,
-- 傍聴 (observers) registered up to a capacity and then on a waiting list, and the minutes in the
-- published layout (出席者, 欠席者, 傍聴者数, 配布資料, 会議の結果).
CREATE TABLE cn_meetings (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    body_id BIGINT NOT NULL,
    held_on TEXT NOT NULL,                   -- YYYY-MM-DD
    starts_at TEXT NOT NULL,                 -- HH:MM
    place TEXT NOT NULL,
    agenda TEXT NOT NULL,
    is_public BIGINT NOT NULL DEFAULT 1,
    closed_reason TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL DEFAULT 0,      -- 傍聴 seats (0: no registration)
    observers BIGINT NOT NULL DEFAULT 0,     -- registrations so far (the order of arrival)
    attendees TEXT NOT NULL DEFAULT '',
    absentees TEXT NOT NULL DEFAULT '',
    documents TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    observer_count BIGINT,                   -- 傍聴者数 as recorded in the minutes
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, body_id) REFERENCES cn_bodies (organization_id, id)
);
CREATE INDEX cn_meetings_by_body ON cn_meetings (organization_id, body_id, held_on);

-- 傍聴 registrations: `position` in order of arrival; within the capacity a seat, beyond it the
-- waiting list. Name and e-mail are personal data, shown to staff only.
CREATE TABLE cn_observers (
    organization_id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, meeting_id, position),
    UNIQUE (organization_id, meeting_id, email)
);
