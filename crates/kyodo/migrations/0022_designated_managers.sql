-- 指定管理者 — a facility run by a designated manager reports each month (users, revenue,
-- incidents, complaints) and the department evaluates it once a year (モニタリング評価, a rating
-- from the organization's code list `facility_monitoring` and a comment). Both are published on
-- the facility's page beside the use computed from the bookings (seed S-2.1.3).
CREATE TABLE rsv_manager_reports (
    organization_id BIGINT NOT NULL,
    facility_id BIGINT NOT NULL,
    month TEXT NOT NULL,                     -- YYYY-MM
    users BIGINT NOT NULL,                   -- 利用者数
    revenue BIGINT NOT NULL,                 -- 収入 (円)
    incidents TEXT NOT NULL DEFAULT '',      -- 事故・故障
    complaints TEXT NOT NULL DEFAULT '',     -- 苦情・要望
    submitted_by BIGINT NOT NULL,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, facility_id, month)
);

CREATE TABLE rsv_monitoring (
    organization_id BIGINT NOT NULL,
    facility_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    rating TEXT NOT NULL,
    comment TEXT NOT NULL,
    evaluated_by BIGINT NOT NULL,
    evaluated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, facility_id, fiscal_year)
);
