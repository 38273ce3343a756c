-- JIS X 8341-3 試験結果: the browser suite's results as imported by `kyodo accessibility import`
-- (one row per run; the report shows the newest) and the HQ's manual checks, one per success
-- criterion (result: pass | na | fail), which the report combines with the automated ones.
CREATE TABLE a11y_test_runs (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    -- YYYY-MM-DD, the day the suite ran
    tested_on TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    -- the suite's results file as JSON (accessibility::report::SuiteResults)
    results TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX a11y_test_runs_newest ON a11y_test_runs (organization_id, tested_on, imported_at);
CREATE TABLE a11y_manual_checks (
    organization_id BIGINT NOT NULL,
    criterion TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('pass', 'na', 'fail')),
    method TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, criterion)
);
