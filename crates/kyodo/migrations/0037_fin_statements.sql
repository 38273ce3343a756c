-- 財務書類 (統一的な基準, S-1.2.1): the four statements of one fiscal year and scope (一般会計等,
-- 全体, 連結) — 貸借対照表 (BS), 行政コスト計算書 (PL), 純資産変動計算書 (NW), 資金収支計算書 (CF) —
-- line by line as the city publishes them, in 円. An import checks each total against the lines
-- under it and the identities across the statements before anything is written.
CREATE TABLE fin_statement_sets (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    scope TEXT NOT NULL,                     -- 一般会計等, 全体, 連結
    is_demo BIGINT NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, fiscal_year, scope)
);

CREATE TABLE fin_statement_lines (
    organization_id BIGINT NOT NULL,
    set_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    statement TEXT NOT NULL CHECK (statement IN ('BS', 'PL', 'NW', 'CF')),
    code TEXT NOT NULL,                      -- the file's line code (e.g. PL-1-1), unique per statement and column
    parent_code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,                      -- 勘定科目 as printed: 現金預金, 純行政コスト …
    column_name TEXT NOT NULL DEFAULT '合計', -- NW only: 合計, 固定資産等形成分, 余剰分（不足分）
    amount BIGINT NOT NULL,                  -- 円, signed (減価償却累計額 and △ rows negative)
    PRIMARY KEY (organization_id, set_id, line_no),
    FOREIGN KEY (organization_id, set_id) REFERENCES fin_statement_sets (organization_id, id)
);

-- 人口 the organization records per fiscal year (住民基本台帳, at the year's end), for 一人当たり figures.
CREATE TABLE fin_population (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    fiscal_year BIGINT NOT NULL,
    population BIGINT NOT NULL CHECK (population > 0),
    PRIMARY KEY (organization_id, fiscal_year)
);
