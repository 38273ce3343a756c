-- 庁議の案件 are searched from the organization's 庁議 meetings (minutes/items.rs): found by kind,
-- newest first, without reading the council's meetings and their agenda items.
CREATE INDEX minutes_meetings_by_kind ON minutes_meetings (organization_id, kind, held_on);
