-- 予算・決算 (S-1.2.1, S-2.2.1): a budget or its result as the city publishes it, per fiscal year,
-- 会計 and edition (当初, 補正第1号 …, 最終, 決算), line by line in 円. Totals are never stored:
-- they are sums of the lines (an import checks the file's own total rows against them).
CREATE TABLE fin_editions (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    account TEXT NOT NULL,                   -- 会計: 一般会計, 国民健康保険特別会計 …
    edition TEXT NOT NULL,                   -- 当初, 補正第1号, 最終, 決算
    is_settlement BIGINT NOT NULL DEFAULT 0, -- 決算: revenue need not equal expenditure
    is_demo BIGINT NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, fiscal_year, account, edition)
);

CREATE TABLE fin_lines (
    organization_id BIGINT NOT NULL,
    edition_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('revenue', 'expenditure')),
    kan TEXT NOT NULL,                       -- 款
    kou TEXT NOT NULL DEFAULT '',            -- 項
    moku TEXT NOT NULL DEFAULT '',           -- 目
    setsu TEXT NOT NULL DEFAULT '',          -- 節
    nature TEXT NOT NULL DEFAULT '',         -- 性質 of an expenditure: 人件費, 扶助費, 公債費 …
    amount BIGINT NOT NULL,                  -- 円
    PRIMARY KEY (organization_id, edition_id, line_no),
    FOREIGN KEY (organization_id, edition_id) REFERENCES fin_editions (organization_id, id)
);
