-- Plans and progress management (実施計画・進行管理). Same portability rules as 0001.

-- Configurable vocabularies per organization (コードリスト): schedule steps, rating scale, progress
-- status, fiscal-effect kinds and accounts. Cities name these differently; nothing is an enum in code.
CREATE TABLE code_lists (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    list TEXT NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    label_en TEXT NOT NULL DEFAULT '',
    sort_order BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, list, code)
);

CREATE TABLE plans (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    title TEXT NOT NULL,
    goal TEXT NOT NULL DEFAULT '',
    first_year BIGINT NOT NULL,              -- fiscal years (年度), inclusive
    last_year BIGINT NOT NULL,
    status TEXT NOT NULL,                    -- draft | adopted | finished
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

-- The plan tree: 視点 → 中項目 → 取組項目 → 実施項目 …, any depth.
CREATE TABLE plan_nodes (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    parent_id BIGINT,
    depth BIGINT NOT NULL,
    position BIGINT NOT NULL,                -- order among siblings
    number TEXT NOT NULL,                    -- display number, e.g. 1-(2)-③
    seed_ref TEXT NOT NULL DEFAULT '',       -- e.g. S-1.2.3
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',           -- description / 取組内容
    issues TEXT NOT NULL DEFAULT '',         -- 現状と課題
    trackable BIGINT NOT NULL DEFAULT 0,     -- an action item with reports
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id),
    FOREIGN KEY (organization_id, parent_id) REFERENCES plan_nodes (organization_id, id)
);
CREATE INDEX plan_nodes_by_plan ON plan_nodes (organization_id, plan_id, depth, position);

CREATE TABLE plan_node_departments (
    organization_id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    PRIMARY KEY (organization_id, node_id, department_id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id),
    FOREIGN KEY (organization_id, department_id) REFERENCES departments (organization_id, id)
);

-- Schedule: the step planned for each fiscal year (code list `schedule_step`).
CREATE TABLE plan_schedule (
    organization_id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    step TEXT NOT NULL,
    PRIMARY KEY (organization_id, node_id, fiscal_year),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id)
);

CREATE TABLE indicators (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    baseline_year BIGINT,
    baseline_value DOUBLE PRECISION,
    higher_is_better BIGINT NOT NULL DEFAULT 1,
    position BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id)
);

CREATE TABLE indicator_values (
    organization_id BIGINT NOT NULL,
    indicator_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    target DOUBLE PRECISION,
    actual DOUBLE PRECISION,
    PRIMARY KEY (organization_id, indicator_id, fiscal_year),
    FOREIGN KEY (organization_id, indicator_id) REFERENCES indicators (organization_id, id)
);

-- 財政効果額 in 千円 per item and fiscal year.
CREATE TABLE fiscal_effects (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    kind TEXT NOT NULL,                      -- code list effect_kind: 歳出削減 / 歳入確保
    account TEXT NOT NULL,                   -- code list account: 一般会計 / 特別会計 …
    planned BIGINT NOT NULL DEFAULT 0,
    actual BIGINT,
    recurring BIGINT NOT NULL DEFAULT 0,     -- 1: the effect continues in later years
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id)
);
CREATE INDEX fiscal_effects_by_node ON fiscal_effects (organization_id, node_id, fiscal_year);

CREATE TABLE reporting_periods (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    label TEXT NOT NULL,
    due_on TEXT NOT NULL,                    -- YYYY-MM-DD
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, plan_id) REFERENCES plans (organization_id, id)
);

-- One report per item and period; its versions keep every edit. status: draft | submitted |
-- returned | approved | published. `published_version` is what the public sees.
CREATE TABLE progress_reports (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    period_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    current_version BIGINT NOT NULL,
    published_version BIGINT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, node_id, period_id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id),
    FOREIGN KEY (organization_id, period_id) REFERENCES reporting_periods (organization_id, id)
);

CREATE TABLE progress_report_versions (
    organization_id BIGINT NOT NULL,
    report_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    progress TEXT NOT NULL,                  -- code list progress_status
    rating TEXT NOT NULL,                    -- code list rating
    did TEXT NOT NULL,                       -- Do
    evaluation TEXT NOT NULL,                -- Check
    next_steps TEXT NOT NULL,                -- Act
    actuals_json TEXT NOT NULL DEFAULT '{}', -- {"indicator:<id>": value, "effect:<id>": 千円}
    author_id BIGINT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, report_id, version),
    FOREIGN KEY (organization_id, report_id) REFERENCES progress_reports (organization_id, id)
);

-- Workflow history: submit, return (with comment), approve, publish.
CREATE TABLE report_events (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    report_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    action TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    actor_id BIGINT,
    at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, report_id) REFERENCES progress_reports (organization_id, id)
);
CREATE INDEX report_events_by_report ON report_events (organization_id, report_id, at);

-- 市民評価: one 1–5 rating per citizen, item and fiscal year.
CREATE TABLE citizen_ratings (
    organization_id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    score BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, node_id, fiscal_year, user_id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id)
);

-- Citizens' comments on an item; status pending | published | hidden (with a reason).
CREATE TABLE citizen_comments (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    moderation_reason TEXT NOT NULL DEFAULT '',
    flags BIGINT NOT NULL DEFAULT 0,         -- times reported by readers
    answer TEXT NOT NULL DEFAULT '',         -- the city's official answer
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id)
);
CREATE INDEX citizen_comments_by_node ON citizen_comments (organization_id, node_id, created_at);

-- 委員意見: a committee member's opinion on an item's report for a period, and the city's response.
CREATE TABLE committee_opinions (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    period_id BIGINT NOT NULL,
    committee_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    opinion TEXT NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    published BIGINT NOT NULL DEFAULT 0,     -- published together with the response
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id),
    FOREIGN KEY (organization_id, period_id) REFERENCES reporting_periods (organization_id, id)
);

-- Organization settings (e.g. comment moderation: before | after publication).
CREATE TABLE org_settings (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (organization_id, key)
);
