-- 入札・契約 (S-1.2.1, S-2.3.5): each tender's result as the city publishes it — 件名, 種別, 方式,
-- 予定価格, 落札者, 落札額, 落札率 and each bid. Companies' names are published by law; no person's
-- contact data is kept. The rate is stored (permille of the planned price) so filters and the
-- distribution are computed by the database.
CREATE TABLE fin_bids (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    case_no TEXT NOT NULL,                   -- 案件番号: a re-import of the same case replaces it
    title TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',           -- 種別: 工事, 委託, 物品 … as the city names them
    method TEXT NOT NULL CHECK (method IN ('general', 'designated', 'negotiated')),
    department TEXT NOT NULL DEFAULT '',
    opened_on TEXT NOT NULL,                 -- 開札日 (or 契約日), ISO date
    fiscal_year BIGINT NOT NULL,
    planned_price BIGINT,                    -- 予定価格, 円; NULL when not published
    winner TEXT NOT NULL DEFAULT '',         -- '' when no bid won (不調)
    amount BIGINT,                           -- 落札額, 円
    rate_pm BIGINT,                          -- 落札率 in permille of the planned price
    bidders BIGINT NOT NULL DEFAULT 0,
    is_demo BIGINT NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, case_no)
);
CREATE INDEX fin_bids_by_date ON fin_bids (organization_id, opened_on);

CREATE TABLE fin_bid_entries (
    organization_id BIGINT NOT NULL,
    bid_id BIGINT NOT NULL,
    entry_no BIGINT NOT NULL,
    bidder TEXT NOT NULL,
    amount BIGINT,                           -- NULL for 辞退
    result TEXT NOT NULL DEFAULT '',         -- 落札, 辞退, 失格, 無効 as written
    PRIMARY KEY (organization_id, bid_id, entry_no),
    FOREIGN KEY (organization_id, bid_id) REFERENCES fin_bids (organization_id, id)
);
