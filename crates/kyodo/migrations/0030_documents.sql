-- 関連資料・配布資料 — files attached to a consultation (published with it), a council meeting
-- (public when the meeting is) or an application to a call for members (作文; staff only). The bytes
-- are stored like report attachments; the row names what they belong to.
CREATE TABLE documents (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('consultation', 'council_meeting', 'council_application')),
    owner_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT,                      -- NULL: an applicant without an account
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX documents_by_owner ON documents (organization_id, owner_kind, owner_id, created_at);
