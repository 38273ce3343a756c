-- The four kinds of case beside 市民の声. kind: voice (市民の声) | application (電子申請) |
-- private_proposal (民間提案) | staff_proposal (職員提案) | approach (働きかけ記録). A type's kind
-- decides which panels its cases have; the engine (numbers, routing, deadlines, work list) is one.
ALTER TABLE case_types ADD COLUMN kind TEXT NOT NULL DEFAULT 'voice'
    CHECK (kind IN ('voice', 'application', 'private_proposal', 'staff_proposal', 'approach'));
-- 手続一覧: for a procedure, who may apply (対象者), the documents to bring (必要書類), the fee
-- (手数料, yen; 0 = free) and whether it is applied for online (else the catalogue shows how and
-- the downloadable forms only).
ALTER TABLE case_types ADD COLUMN eligibility TEXT NOT NULL DEFAULT '';
ALTER TABLE case_types ADD COLUMN documents_needed TEXT NOT NULL DEFAULT '';
ALTER TABLE case_types ADD COLUMN fee_yen BIGINT NOT NULL DEFAULT 0 CHECK (fee_yen BETWEEN 0 AND 10000000);
ALTER TABLE case_types ADD COLUMN online BIGINT NOT NULL DEFAULT 1 CHECK (online IN (0, 1));

-- The fee a case owes (the procedure's, as it was when the case arrived) and its payment, set by
-- staff (code list case_payment; '' = nothing owed). A payment provider later writes the same
-- column through cases::payment.
ALTER TABLE cases ADD COLUMN fee_yen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN payment_status TEXT NOT NULL DEFAULT '';
-- 民間提案・職員提案: the decision (code list case_decision; '' = none yet), its reason (published
-- for 民間提案), when, and for adopted proposals how far implementation has got (code list
-- case_implementation).
ALTER TABLE cases ADD COLUMN decision TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN decided_at TEXT;
ALTER TABLE cases ADD COLUMN implementation TEXT NOT NULL DEFAULT '';

-- 職員提案 審査: one score per reviewer per proposal (1–5) with a comment.
CREATE TABLE case_scores (
    organization_id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    reviewer_id BIGINT NOT NULL,
    score BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    scored_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, case_id, reviewer_id),
    FOREIGN KEY (organization_id, case_id) REFERENCES cases (organization_id, id)
);

-- 表彰: the award a proposal received (code list case_award), in the fiscal year it was given.
CREATE TABLE case_awards (
    organization_id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    award TEXT NOT NULL,
    awarded_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, case_id),
    FOREIGN KEY (organization_id, case_id) REFERENCES cases (organization_id, id)
);
CREATE INDEX case_awards_by_year ON case_awards (organization_id, fiscal_year);

-- A procedure's downloadable forms (様式, PDF/xlsx) are documents of its case type: the CHECK on
-- documents.owner_kind gains 'case_type'. A CHECK cannot be altered in SQLite, so the table is
-- rebuilt (the same statements on both databases).
CREATE TABLE documents_new (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('consultation', 'council_meeting', 'council_application', 'case_type')),
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
