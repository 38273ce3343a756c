-- Audit entries written with their change but not yet sealed into the organization's hash chain.
-- A write appends here (one INSERT, no organization-wide lock); `audit::seal` moves entries into
-- `audit_log` in order under the head row's lock within about a second (audit/seal.rs).
CREATE TABLE audit_pending (
    id BIGINT PRIMARY KEY,
    organization_id BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_pending_by_org ON audit_pending (organization_id, id);
