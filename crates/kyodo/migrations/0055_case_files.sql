-- 窓口: files sent with a case (a form's file question) and files staff add to it are documents of
-- the case (owner 'case'); the submitter and the staff who may read the case see them, nobody
-- else. The CHECK on documents.owner_kind gains 'case'; as in 0052 the table is rebuilt, since
-- SQLite cannot alter a CHECK (the same statements on both databases).
CREATE TABLE documents_new (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('consultation', 'council_meeting', 'council_application', 'case_type', 'case')),
    owner_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
INSERT INTO documents_new (organization_id, id, owner_kind, owner_id, title, filename, content_type, size_bytes, sha256, uploaded_by, created_at)
    SELECT organization_id, id, owner_kind, owner_id, title, filename, content_type, size_bytes, sha256, uploaded_by, created_at FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE INDEX documents_by_owner ON documents (organization_id, owner_kind, owner_id, created_at);
