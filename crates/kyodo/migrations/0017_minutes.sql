-- 会議録 — minutes of the city council's meetings (議会会議録) and of executive meetings (庁議).
-- A meeting belongs to a body (本会議, 常任委員会 …, 庁議) and a session (定例会/臨時会 and its 回次);
-- its speeches are kept in order. `source_key` names the meeting as its source does (the NDL
-- issueID, or body + date + 号): importing the same meeting again replaces it.
CREATE TABLE minutes_meetings (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    source_key TEXT NOT NULL,
    body TEXT NOT NULL,                      -- 本会議, 総務委員会, 庁議 …
    kind TEXT NOT NULL,                      -- council | executive (庁議)
    session TEXT NOT NULL DEFAULT '',        -- 令和6年2月定例会
    issue TEXT NOT NULL DEFAULT '',          -- 第3号
    held_on TEXT NOT NULL,                   -- YYYY-MM-DD
    title TEXT NOT NULL,
    is_demo BIGINT NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, source_key)
);
CREATE INDEX minutes_meetings_by_date ON minutes_meetings (organization_id, held_on);

-- One speech: as written (speaker_raw, 「○議長（林宏君）」) and normalised (speaker, position).
-- `text_norm` is the text after NFKC and case folding: what a search matches exactly.
CREATE TABLE minutes_speeches (
    organization_id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,                     -- 発言番号, from 1
    speaker_raw TEXT NOT NULL DEFAULT '',
    speaker TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',       -- 議長, 市長, 部長, 議員 …
    speaker_group TEXT NOT NULL DEFAULT '',  -- 会派
    text TEXT NOT NULL,
    text_norm TEXT NOT NULL,
    PRIMARY KEY (organization_id, meeting_id, seq),
    FOREIGN KEY (organization_id, meeting_id) REFERENCES minutes_meetings (organization_id, id)
);
