-- 会議録: what a meeting's heading says besides its speeches — where it was held (場所), who
-- attended (as written), its agenda (議事日程; for 庁議 each 案件 with its decision and the
-- responsible department) and its documents (配布資料, linked where the city publishes them).
ALTER TABLE minutes_meetings ADD COLUMN place TEXT NOT NULL DEFAULT '';
ALTER TABLE minutes_meetings ADD COLUMN attendance TEXT NOT NULL DEFAULT '';

CREATE TABLE minutes_items (
    organization_id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    title TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '',         -- 結果 / 決定事項
    department TEXT NOT NULL DEFAULT '',     -- 担当部局
    PRIMARY KEY (organization_id, meeting_id, seq),
    FOREIGN KEY (organization_id, meeting_id) REFERENCES minutes_meetings (organization_id, id)
);

CREATE TABLE minutes_documents (
    organization_id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,                       -- http(s) only, checked when saved
    PRIMARY KEY (organization_id, meeting_id, seq),
    FOREIGN KEY (organization_id, meeting_id) REFERENCES minutes_meetings (organization_id, id)
);
