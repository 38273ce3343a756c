-- 委員公募: a call for publicly recruited members of a body (conditions, seats, period), the
-- applications (personal data: staff only) and the published result.
CREATE TABLE cn_calls (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    body_id BIGINT NOT NULL,
    conditions TEXT NOT NULL,                -- 応募資格 and what the essay is about
    seats BIGINT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '',         -- the published result (選考結果), empty until decided
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, body_id) REFERENCES cn_bodies (organization_id, id)
);

CREATE TABLE cn_applications (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    call_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    kana TEXT NOT NULL DEFAULT '',
    gender TEXT NOT NULL,
    address TEXT NOT NULL,
    email TEXT NOT NULL,
    essay TEXT NOT NULL,                     -- 作文 (typed or pasted)
    selected BIGINT NOT NULL DEFAULT 0,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, call_id, email),
    FOREIGN KEY (organization_id, call_id) REFERENCES cn_calls (organization_id, id)
);
