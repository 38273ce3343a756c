-- 会議録: a speech's link to its meeting becomes DEFERRABLE, so that an import can have it checked
-- when it commits rather than after each statement. PostgreSQL plans that check (a lookup of the
-- meeting) once per connection and keeps the plan; planned while minutes_meetings is still empty,
-- as in a city's first import, it chose an index on (organization_id, kind, held_on) and read
-- every meeting of the organization for each speech — an archive of 3,700 meetings and 470,000
-- speeches took two minutes instead of half of one. Checked at commit, the plan is made when the
-- meetings are there. Everything else still checks at once (INITIALLY IMMEDIATE; on SQLite, whose
-- writers share one commit, a check left to the commit would fail the whole group). The table is
-- rebuilt as in 0052, since SQLite cannot alter a constraint (the same statements on both).
CREATE TABLE minutes_speeches_new (
    organization_id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,                     -- 発言番号, from 1
    speaker_raw TEXT NOT NULL DEFAULT '',
    speaker TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',       -- 議長, 市長, 部長, 議員 …
    speaker_group TEXT NOT NULL DEFAULT '',  -- 会派
    text TEXT NOT NULL,
    PRIMARY KEY (organization_id, meeting_id, seq),
    CONSTRAINT minutes_speeches_meeting FOREIGN KEY (organization_id, meeting_id)
        REFERENCES minutes_meetings (organization_id, id) DEFERRABLE INITIALLY IMMEDIATE
);
INSERT INTO minutes_speeches_new (organization_id, meeting_id, seq, speaker_raw, speaker, position, speaker_group, text)
    SELECT organization_id, meeting_id, seq, speaker_raw, speaker, position, speaker_group, text FROM minutes_speeches;
DROP TABLE minutes_speeches;
ALTER TABLE minutes_speeches_new RENAME TO minutes_speeches;
