-- 審議会等 — councils: 附属機関 set up by ordinance (自治法138条の4) and bodies set up by guideline
-- (要綱), their members and terms; checked against the organization's participation targets.
CREATE TABLE cn_bodies (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,                      -- ordinance (附属機関) | guideline (要綱設置)
    basis TEXT NOT NULL DEFAULT '',          -- 根拠法令
    purpose TEXT NOT NULL DEFAULT '',
    department_id BIGINT,
    term_years BIGINT NOT NULL,
    max_members BIGINT NOT NULL,
    meetings_public BIGINT NOT NULL DEFAULT 1,
    no_public_reason TEXT NOT NULL DEFAULT '', -- why the body has no 公募 members
    is_demo BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, name)
);

-- A person who sits on one or more bodies (兼職 is counted per person). No contact data is kept.
CREATE TABLE cn_people (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    kana TEXT NOT NULL DEFAULT '',
    gender TEXT NOT NULL,                    -- female | male | other | unstated
    occupation TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, name, kana)
);

-- One appointment of a person to a body for a term. `first_appointed_on` is the start of the
-- person's unbroken service on the body (years in office count from it, through reappointments).
CREATE TABLE cn_members (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    body_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    category TEXT NOT NULL,                  -- code list council_category: 学識経験者, 公募 …
    role TEXT NOT NULL DEFAULT 'member',     -- chair (会長) | vice (副会長) | member
    appointed_on TEXT NOT NULL,
    term_ends_on TEXT NOT NULL,
    first_appointed_on TEXT NOT NULL,
    name_public BIGINT NOT NULL DEFAULT 1,   -- the body decided to publish the name
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, body_id) REFERENCES cn_bodies (organization_id, id),
    FOREIGN KEY (organization_id, person_id) REFERENCES cn_people (organization_id, id)
);
CREATE INDEX cn_members_by_body ON cn_members (organization_id, body_id, term_ends_on);
CREATE INDEX cn_members_by_person ON cn_members (organization_id, person_id);
