-- 定型文 — reply templates of a kind of case, set up by the HQ. Staff start an answer or a message
-- from one; {整理番号} and {件名} in the body are replaced by the case's number and subject.
CREATE TABLE case_reply_templates (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    type_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, type_id) REFERENCES case_types (organization_id, id)
);
CREATE INDEX case_reply_templates_by_type ON case_reply_templates (organization_id, type_id);
