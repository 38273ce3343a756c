-- 財政指標 (S-1.2.1, S-2.2.2): each fiscal year's indicators and the figures some are computed
-- from (標準財政規模, 実質収支額, 単年度の実質公債費比率), one value per code, as the HQ entered it.
-- Ratios and indices are kept in thousandths (93.4 % → 93400, 0.523 → 523), amounts in 円.
CREATE TABLE fin_indicator_values (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    fiscal_year BIGINT NOT NULL,
    code TEXT NOT NULL,
    value BIGINT NOT NULL,
    is_demo BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, fiscal_year, code)
);

-- 中期財政見通し (S-2.2.1): an outlook made each year (its edition) over the next 3–5 years, row by
-- row — 歳入 by source, 歳出 by 性質, 収支差, 基金残高, 市債残高 — per year, in 円.
CREATE TABLE fin_outlooks (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    made_in BIGINT NOT NULL,                 -- the fiscal year the outlook was made in (its edition)
    title TEXT NOT NULL,
    is_demo BIGINT NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, made_in)
);

CREATE TABLE fin_outlook_rows (
    organization_id BIGINT NOT NULL,
    outlook_id BIGINT NOT NULL,
    row_no BIGINT NOT NULL,
    section TEXT NOT NULL CHECK (section IN ('revenue', 'expenditure', 'balance', 'fund', 'debt')),
    label TEXT NOT NULL,
    is_total BIGINT NOT NULL DEFAULT 0,      -- 歳入合計 / 歳出合計: checked against the section's items
    fiscal_year BIGINT NOT NULL,
    amount BIGINT NOT NULL,                  -- 円
    PRIMARY KEY (organization_id, outlook_id, row_no, fiscal_year),
    FOREIGN KEY (organization_id, outlook_id) REFERENCES fin_outlooks (organization_id, id)
);
