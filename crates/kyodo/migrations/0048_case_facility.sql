-- A case about a public facility (施設): staff link it, and the facility's designated manager's
-- monthly report counts the desk's cases about it (苦情・要望) month by month. NULL: not about a facility.
ALTER TABLE cases ADD COLUMN facility_id BIGINT;
CREATE INDEX cases_by_facility ON cases (organization_id, facility_id, received_at);
