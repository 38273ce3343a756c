-- 抽選 — a room's popular month let by lot. While applications are open the month cannot be
-- booked first-come; the draw turns each win into a 仮予約 (with the usual deadline, so an
-- unclaimed win is released to first-come booking). The seed is fixed when the lottery is
-- created and only its SHA-256 is shown until the draw (the operator cannot pick a seed after
-- seeing the entries); after the draw the seed, the wishes (by entry number) and the pairs that
-- were not available are published, so anyone can run the draw again with `kyodo`.
CREATE TABLE rsv_lotteries (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    room_id BIGINT NOT NULL,
    month TEXT NOT NULL,                     -- YYYY-MM
    apply_from TEXT NOT NULL,                -- YYYY-MM-DD, inclusive
    apply_until TEXT NOT NULL,
    seed TEXT NOT NULL,
    status TEXT NOT NULL,                    -- open | drawn
    excluded TEXT NOT NULL DEFAULT '',       -- pairs not available at the draw: "YYYY-MM-DD slot" lines
    drawn_at TEXT,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, room_id, month)
);

-- One application per user and lottery; `entry_no` is the public name of the applicant.
CREATE TABLE rsv_lottery_entries (
    organization_id BIGINT NOT NULL,
    lottery_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    entry_no BIGINT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, lottery_id, user_id),
    UNIQUE (organization_id, lottery_id, entry_no)
);

-- Wishes in the applicant's order of preference (rank 1 first); `won` marks the one drawn.
CREATE TABLE rsv_lottery_wishes (
    organization_id BIGINT NOT NULL,
    lottery_id BIGINT NOT NULL,
    entry_no BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    used_on TEXT NOT NULL,
    slot_code TEXT NOT NULL,
    won BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, lottery_id, entry_no, rank)
);
