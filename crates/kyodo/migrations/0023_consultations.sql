-- 意見公募 (パブリックコメント) — a draft (案) put to the public for a period; each opinion
-- (意見) is answered in groups (意見の概要 and 市の考え方) and the result is published.
CREATE TABLE pc_consultations (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    department_id BIGINT,
    basis TEXT NOT NULL DEFAULT '',          -- 根拠: the 条例・要綱 the draft rests on
    starts_on TEXT NOT NULL,                 -- YYYY-MM-DD, inclusive
    ends_on TEXT NOT NULL,
    short_reason TEXT NOT NULL DEFAULT '',   -- why the period is shorter than the minimum (HQ)
    eligibility TEXT NOT NULL,               -- who may submit: resident,worker,student,interested
    plan_item_id BIGINT,
    opinions BIGINT NOT NULL DEFAULT 0,      -- receipt numbers given so far (受付番号)
    result_state TEXT NOT NULL DEFAULT 'none', -- none | submitted | published
    result_published_at TEXT,
    approved_by BIGINT,
    created_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    is_demo BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX pc_consultations_by_period ON pc_consultations (organization_id, ends_on);

-- The draft in numbered sections; `revised_body` is the section after the public comment
-- (NULL: unchanged).
CREATE TABLE pc_sections (
    organization_id BIGINT NOT NULL,
    consultation_id BIGINT NOT NULL,
    number BIGINT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL,
    revised_body TEXT,
    PRIMARY KEY (organization_id, consultation_id, number),
    FOREIGN KEY (organization_id, consultation_id) REFERENCES pc_consultations (organization_id, id)
);

-- Opinions that say the same thing, answered once: 意見の概要, 市の考え方, 修正の有無.
CREATE TABLE pc_groups (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    consultation_id BIGINT NOT NULL,
    section_number BIGINT NOT NULL,          -- 0: the whole draft
    summary TEXT NOT NULL,
    city_view TEXT NOT NULL DEFAULT '',
    revised BIGINT NOT NULL DEFAULT 0,
    change_text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, consultation_id) REFERENCES pc_consultations (organization_id, id)
);
CREATE INDEX pc_groups_by_consultation ON pc_groups (organization_id, consultation_id, section_number);

-- One opinion. Name, address and e-mail are personal data: never on a public page or dataset.
-- `published_body` is the text as the department redacted it for publication.
CREATE TABLE pc_opinions (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    consultation_id BIGINT NOT NULL,
    receipt_no BIGINT NOT NULL,
    section_number BIGINT NOT NULL,
    body TEXT NOT NULL,
    published_body TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    eligibility TEXT NOT NULL,
    channel TEXT NOT NULL,                   -- web | mail | fax | counter | email
    user_id BIGINT,
    access_digest TEXT NOT NULL,             -- SHA-256 of the submitter's look-up key
    body_digest TEXT NOT NULL,               -- SHA-256 of e-mail and normalised text (duplicates)
    confirmed BIGINT NOT NULL DEFAULT 0,
    submitted_at TEXT NOT NULL,
    confirmed_at TEXT,
    group_id BIGINT,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, consultation_id, receipt_no),
    FOREIGN KEY (organization_id, consultation_id) REFERENCES pc_consultations (organization_id, id)
);
CREATE INDEX pc_opinions_by_section ON pc_opinions (organization_id, consultation_id, section_number);
CREATE INDEX pc_opinions_duplicates ON pc_opinions (organization_id, consultation_id, body_digest);

-- Anonymous opinions per client address, consultation and day (the address only as a digest).
CREATE TABLE pc_address_counts (
    organization_id BIGINT NOT NULL,
    consultation_id BIGINT NOT NULL,
    address_digest TEXT NOT NULL,
    day TEXT NOT NULL,
    opinions BIGINT NOT NULL,
    PRIMARY KEY (organization_id, consultation_id, address_digest, day)
);
