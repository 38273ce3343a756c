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

-- Running counts of every survey, kept in the same transaction as each response, so results read a
-- few hundred rows however many responses there are. by_question/by_option = 0 for the whole
-- survey, or an attribute question and its option for cross-tabulation. option_id and level are 0
-- when not applicable; option_id = -1 counts the respondents who answered (question, part);
-- question_id = 0 counts respondents.
CREATE TABLE survey_tallies (
    organization_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    by_question BIGINT NOT NULL,
    by_option BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    part TEXT NOT NULL,
    option_id BIGINT NOT NULL,
    level BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (organization_id, survey_id, by_question, by_option, question_id, part, option_id, level)
);

-- Response quota (回答数の上限) and the answering period (inclusive dates, YYYY-MM-DD).
ALTER TABLE surveys ADD COLUMN quota BIGINT;

-- 途中保存: answers saved to continue later, found by the SHA-256 of the secret in the resume link,
-- deleted when the questionnaire is sent or after 30 days.
CREATE TABLE survey_drafts (
    organization_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    token_hash TEXT NOT NULL,
    fields_json TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, survey_id, token_hash)
);

ALTER TABLE survey_options ADD COLUMN is_row BIGINT NOT NULL DEFAULT 0; -- 1: a row (item) of a matrix question
