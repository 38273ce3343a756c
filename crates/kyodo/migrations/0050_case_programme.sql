-- A case that shows a programme's (事務事業) problem: staff link it by the programme's code, and
-- the programme's evaluation sheet lists the desk's cases about it (staff only). NULL: none.
ALTER TABLE cases ADD COLUMN programme_id BIGINT;
CREATE INDEX cases_by_programme ON cases (organization_id, programme_id);
