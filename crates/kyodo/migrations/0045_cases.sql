-- 窓口 (case desk): one engine for 市民の声, 電子申請, 民間提案, 職員提案 and 働きかけ記録. Something
-- arrives, gets a number (整理番号), is routed to a department, worked on with a deadline, answered
-- and counted.

-- A kind of case, set up by the HQ. audience: public (anyone, guests too) | signed_in | staff |
-- restricted (the HQ and the compliance officer only; never public). The form is a survey of
-- audience 'form' (its questions use the survey question kinds; it is never answered as a survey).
-- deadline_days: office days to answer, counted over the organization's calendar.
-- publishable: answered cases may be shown to the public after staff redact them.
CREATE TABLE case_types (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL CHECK (audience IN ('public', 'signed_in', 'staff', 'restricted')),
    form_survey_id BIGINT,
    department_id BIGINT,
    deadline_days BIGINT NOT NULL DEFAULT 10 CHECK (deadline_days BETWEEN 1 AND 365),
    publishable BIGINT NOT NULL DEFAULT 0 CHECK (publishable IN (0, 1)),
    position BIGINT NOT NULL DEFAULT 0,
    is_demo BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, code)
);

-- Routing: a case whose answer to `question_id` is `option_id` goes to `department_id`; the first
-- rule by position wins, else the type's own department.
CREATE TABLE case_routes (
    organization_id BIGINT NOT NULL,
    type_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    option_id BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    PRIMARY KEY (organization_id, type_id, position),
    FOREIGN KEY (organization_id, type_id) REFERENCES case_types (organization_id, id)
);

-- The last number given per type and fiscal year; taken with UPDATE … RETURNING so that two
-- instances never give one number twice.
CREATE TABLE case_counters (
    organization_id BIGINT NOT NULL,
    type_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (organization_id, type_id, fiscal_year)
);

-- The organization's own closed days beyond weekends, 国民の祝日 and 年末年始 (e.g. a city's
-- anniversary), used for deadlines.
CREATE TABLE org_holidays (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (organization_id, day)
);

-- A case. submitter_id NULL: a guest, who looks it up with the number and the access key (only
-- its digest is kept). answers: JSON of the form's answers as asked. Personal data (guest_name,
-- email, answers) is shown to the submitter and staff only; the public sees public_text and
-- public_answer, written by staff, and only when the submitter agreed (publish_consent).
CREATE TABLE cases (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    type_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL,
    submitter_id BIGINT,
    guest_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    access_digest TEXT NOT NULL,
    subject TEXT NOT NULL,
    answers TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    department_id BIGINT,
    assignee_id BIGINT,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    due_on TEXT NOT NULL,
    answered_at TEXT,
    answer TEXT NOT NULL DEFAULT '',
    publish_consent BIGINT NOT NULL DEFAULT 0 CHECK (publish_consent IN (0, 1)),
    public_text TEXT,
    public_answer TEXT,
    published_at TEXT,
    merged_into BIGINT,
    is_demo BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, type_id, fiscal_year, seq),
    UNIQUE (organization_id, number),
    FOREIGN KEY (organization_id, type_id) REFERENCES case_types (organization_id, id)
);
-- The work list's order (due first) within a department and over all of them, so a page of 50 is
-- read from the index without sorting the department's cases.
CREATE INDEX cases_work ON cases (organization_id, department_id, due_on, received_at, id);
CREATE INDEX cases_due ON cases (organization_id, due_on, received_at, id);
CREATE INDEX cases_received ON cases (organization_id, received_at, id);
CREATE INDEX cases_by_year ON cases (organization_id, fiscal_year, type_id);
CREATE INDEX cases_published ON cases (organization_id, type_id, published_at);

-- What happened to a case, in order. kind: status | note (internal, never shown to the
-- submitter) | to_submitter | from_submitter | transfer | assign | answer | merge | link.
CREATE TABLE case_events (
    organization_id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor_id BIGINT,
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    department_id BIGINT,
    body TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, case_id, seq),
    FOREIGN KEY (organization_id, case_id) REFERENCES cases (organization_id, id)
);

-- A case linked to another case, a plan item or an evaluated programme.
-- target_type: case | plan_node | programme.
CREATE TABLE case_links (
    organization_id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    target_type TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    PRIMARY KEY (organization_id, case_id, target_type, target_id)
);

-- Failed guest look-ups per client address: delays kept in the database (every instance sees
-- them), as for sign-ins.
CREATE TABLE case_lookup_delays (
    organization_id BIGINT NOT NULL,
    address TEXT NOT NULL,
    failures BIGINT NOT NULL,
    delayed_until TEXT NOT NULL,
    PRIMARY KEY (organization_id, address)
);

-- Open311 GeoReport v2 clients (apps that send requests for citizens): one API key each, only its
-- digest kept.
CREATE TABLE open311_clients (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    key_digest TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, key_digest)
);
