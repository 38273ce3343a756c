-- 外部有識者 (S-1.3.4): outside experts registered by the HQ, each signing in with an account of the
-- organization, assigned to a plan, a consultation, an evaluation year or a council. An adviser sees
-- exactly what is assigned (checked per request against `adviser_assignments`, within the term) and
-- leaves comments, which the HQ may publish.
CREATE TABLE advisers (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    field TEXT NOT NULL,                     -- 専門分野
    affiliation TEXT NOT NULL DEFAULT '',    -- 所属 (university, firm …)
    term_start TEXT NOT NULL,                -- YYYY-MM-DD
    term_end TEXT NOT NULL,
    publish_name BIGINT NOT NULL DEFAULT 1,  -- 0: published comments say 外部有識者 without the name
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, user_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id)
);

CREATE TABLE adviser_assignments (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    adviser_id BIGINT NOT NULL,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('plan', 'consultation', 'evaluation_cycle', 'council')),
    target_id BIGINT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, adviser_id, target_kind, target_id),
    FOREIGN KEY (organization_id, adviser_id) REFERENCES advisers (organization_id, id)
);

CREATE TABLE adviser_comments (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    assignment_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    published_at TEXT,                       -- set by the HQ; NULL: internal
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, assignment_id) REFERENCES adviser_assignments (organization_id, id)
);
CREATE INDEX adviser_comments_by_assignment ON adviser_comments (organization_id, assignment_id, created_at);
