-- Invitation codes (招待コード) for a random-sample survey: printed on mailed letters, each answers once.
-- Only the SHA-256 of a code is kept, with whether it was used; never which response it gave.
CREATE TABLE survey_codes (
    organization_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    code_hash TEXT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, survey_id, code_hash),
    FOREIGN KEY (organization_id, survey_id) REFERENCES surveys (organization_id, id)
);
