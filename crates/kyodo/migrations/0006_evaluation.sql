-- Administrative evaluation (行政評価・事務事業評価). Same portability rules as 0001.
-- Amounts are integers in 千円; staff-years (FTE) and indicator values are doubles.

-- 総合計画 — the comprehensive plan whose policy hierarchy programmes hang from.
CREATE TABLE policy_plans (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    title TEXT NOT NULL,
    first_year BIGINT NOT NULL,
    last_year BIGINT NOT NULL,
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

-- 政策 (policy) → 施策 (measure) → 基本事業 (basic), by `level`.
CREATE TABLE policy_nodes (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    parent_id BIGINT,
    level TEXT NOT NULL,                     -- policy | measure | basic
    position BIGINT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    goal TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, plan_id) REFERENCES policy_plans (organization_id, id),
    FOREIGN KEY (organization_id, parent_id) REFERENCES policy_nodes (organization_id, id)
);
CREATE INDEX policy_nodes_by_plan ON policy_nodes (organization_id, plan_id, position);

-- 事務事業 — the programme master.
CREATE TABLE programmes (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    department_id BIGINT NOT NULL,
    policy_node_id BIGINT,
    legal_basis TEXT NOT NULL DEFAULT '',    -- 根拠法令 ('' = none)
    first_year BIGINT NOT NULL,
    last_year BIGINT,
    is_new BIGINT NOT NULL DEFAULT 0,        -- 新規 / 継続
    kind TEXT NOT NULL DEFAULT '',           -- code list programme_type
    method TEXT NOT NULL DEFAULT '',         -- code list impl_method
    target TEXT NOT NULL DEFAULT '',         -- 対象
    intent TEXT NOT NULL DEFAULT '',         -- 意図
    means TEXT NOT NULL DEFAULT '',          -- 手段
    status TEXT NOT NULL DEFAULT 'active',   -- active | merged | split | ended
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, code),
    FOREIGN KEY (organization_id, department_id) REFERENCES departments (organization_id, id),
    FOREIGN KEY (organization_id, policy_node_id) REFERENCES policy_nodes (organization_id, id)
);
CREATE INDEX programmes_by_node ON programmes (organization_id, policy_node_id);

-- 統合・分割 history (S-2.3.6): each row links a former programme to a successor.
CREATE TABLE programme_lineage (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    kind TEXT NOT NULL,                      -- merge | split
    from_id BIGINT NOT NULL,
    to_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, from_id) REFERENCES programmes (organization_id, id),
    FOREIGN KEY (organization_id, to_id) REFERENCES programmes (organization_id, id)
);

-- Indicators of a programme (対象 / 活動 / 成果) or of a 施策 (成果), by owner.
CREATE TABLE eval_indicators (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    owner_kind TEXT NOT NULL,                -- programme | policy
    owner_id BIGINT NOT NULL,
    kind TEXT NOT NULL,                      -- target | activity | outcome
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    higher_is_better BIGINT NOT NULL DEFAULT 1,
    position BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX eval_indicators_by_owner ON eval_indicators (organization_id, owner_kind, owner_id);

CREATE TABLE eval_indicator_values (
    organization_id BIGINT NOT NULL,
    indicator_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    target DOUBLE PRECISION,
    actual DOUBLE PRECISION,
    PRIMARY KEY (organization_id, indicator_id, fiscal_year),
    FOREIGN KEY (organization_id, indicator_id) REFERENCES eval_indicators (organization_id, id)
);

-- One evaluation year: its schedule, the committee that does 外部評価, and whether results are public.
CREATE TABLE eval_cycles (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,             -- the year whose results are evaluated
    committee_id BIGINT,
    sheets_due TEXT NOT NULL DEFAULT '',     -- dates as YYYY-MM-DD
    hearings_from TEXT NOT NULL DEFAULT '',
    hearings_to TEXT NOT NULL DEFAULT '',
    publish_on TEXT NOT NULL DEFAULT '',
    published BIGINT NOT NULL DEFAULT 0,
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, fiscal_year)
);

-- 事務事業評価シート: one per programme and cycle. `stage` is where the sheet stands:
-- draft → first (submitted by the department) → second (HQ) → external (committee, chosen
-- programmes only) → final (locked).
CREATE TABLE eval_sheets (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    cycle_id BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'draft',
    external BIGINT NOT NULL DEFAULT 0,      -- chosen for 外部評価
    issues TEXT NOT NULL DEFAULT '',         -- 現状と課題
    contact_name TEXT NOT NULL DEFAULT '',   -- internal only: never on public pages or open data
    contact_phone TEXT NOT NULL DEFAULT '',  -- internal only
    stated_total BIGINT,                     -- a workbook's own total, kept to flag disagreement
    submitted_at TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, cycle_id, programme_id),
    FOREIGN KEY (organization_id, cycle_id) REFERENCES eval_cycles (organization_id, id),
    FOREIGN KEY (organization_id, programme_id) REFERENCES programmes (organization_id, id)
);
CREATE INDEX eval_sheets_by_programme ON eval_sheets (organization_id, programme_id);

-- 事業費 by column (prev_settled | budget | settled | next_budget) and funding source (code list).
CREATE TABLE eval_costs (
    organization_id BIGINT NOT NULL,
    sheet_id BIGINT NOT NULL,
    col TEXT NOT NULL,
    source TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (organization_id, sheet_id, col, source),
    FOREIGN KEY (organization_id, sheet_id) REFERENCES eval_sheets (organization_id, id)
);

-- 人工 — staff-years by column and staff category (code list staff_category).
CREATE TABLE eval_staffing (
    organization_id BIGINT NOT NULL,
    sheet_id BIGINT NOT NULL,
    col TEXT NOT NULL,
    category TEXT NOT NULL,
    fte DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (organization_id, sheet_id, col, category),
    FOREIGN KEY (organization_id, sheet_id) REFERENCES eval_sheets (organization_id, id)
);

-- 人件費単価 per fiscal year and staff category, in 千円 per staff-year.
CREATE TABLE personnel_unit_costs (
    organization_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    category TEXT NOT NULL,
    unit_cost BIGINT NOT NULL,
    PRIMARY KEY (organization_id, fiscal_year, category)
);

-- Each stage's verdict: 実施主体, 方向性, reasons, improvement plan. `decided_by` stays internal.
CREATE TABLE eval_verdicts (
    organization_id BIGINT NOT NULL,
    sheet_id BIGINT NOT NULL,
    stage TEXT NOT NULL,                     -- first | second | external | final
    operator TEXT NOT NULL,
    direction TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    improvement TEXT NOT NULL DEFAULT '',
    decided_by BIGINT,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, sheet_id, stage),
    FOREIGN KEY (organization_id, sheet_id) REFERENCES eval_sheets (organization_id, id)
);

-- Scores on the evaluation criteria (code list eval_criterion), per stage.
CREATE TABLE eval_scores (
    organization_id BIGINT NOT NULL,
    sheet_id BIGINT NOT NULL,
    stage TEXT NOT NULL,
    criterion TEXT NOT NULL,
    score TEXT NOT NULL,                     -- code list eval_score
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, sheet_id, stage, criterion),
    FOREIGN KEY (organization_id, sheet_id) REFERENCES eval_sheets (organization_id, id)
);

-- 施策 direction per year, decided by the HQ in the policy rollup.
CREATE TABLE policy_directions (
    organization_id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    direction TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, node_id, fiscal_year),
    FOREIGN KEY (organization_id, node_id) REFERENCES policy_nodes (organization_id, id)
);

-- 枠配分: the general-revenue frame (一般財源, 千円) of a department for a budget year. The requests
-- within it are the programmes' next-budget 一般財源 on their sheets, so totals are always derived.
CREATE TABLE budget_frames (
    organization_id BIGINT NOT NULL,
    department_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    frame BIGINT NOT NULL,
    PRIMARY KEY (organization_id, department_id, fiscal_year),
    FOREIGN KEY (organization_id, department_id) REFERENCES departments (organization_id, id)
);

-- A reform verdict carried out as a plan action item, whose fiscal effect is tracked there.
CREATE TABLE eval_plan_links (
    organization_id BIGINT NOT NULL,
    sheet_id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, sheet_id, node_id),
    FOREIGN KEY (organization_id, sheet_id) REFERENCES eval_sheets (organization_id, id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id)
);
