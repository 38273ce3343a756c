-- 電子アンケート: surveys, their questions and options, responses and answers.
-- Anonymity by construction: a response row has no user, address or code column, and the receipts
-- that stop a second answer are not linked to any response.

-- audience: public (anonymous, one per browser) | citizens | staff | codes (invitation codes).
-- status: draft | open | closed. `series` groups the yearly waves of one survey (市民意識調査).
CREATE TABLE surveys (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL,
    status TEXT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    series TEXT NOT NULL DEFAULT '',
    opens_on TEXT,
    closes_on TEXT,
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX surveys_by_series ON surveys (organization_id, series, fiscal_year);

-- kind: single | multi | text | long_text | number | date | scale | pair.
-- attribute = 1 marks a respondent attribute (年代, 地区 …) used for cross-tabulation.
-- A pair (重要度 × 満足度) names its policy item in `subject` and may be bound to a plan node.
-- show_if_question_id / show_if_option_id: ask this question only when that option was chosen.
CREATE TABLE survey_questions (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BIGINT NOT NULL DEFAULT 0,
    max_choices BIGINT,
    attribute BIGINT NOT NULL DEFAULT 0,
    subject TEXT NOT NULL DEFAULT '',
    plan_node_id BIGINT,
    show_if_question_id BIGINT,
    show_if_option_id BIGINT,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, survey_id) REFERENCES surveys (organization_id, id)
);
CREATE INDEX survey_questions_by_survey ON survey_questions (organization_id, survey_id, position);

CREATE TABLE survey_options (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, question_id) REFERENCES survey_questions (organization_id, id)
);
CREATE INDEX survey_options_by_question ON survey_options (organization_id, question_id, position);

-- channel: web | paper. Only the day is kept, not the time.
CREATE TABLE survey_responses (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, survey_id) REFERENCES surveys (organization_id, id)
);
CREATE INDEX survey_responses_by_survey ON survey_responses (organization_id, survey_id, id);

-- One row per chosen option, typed text, number or scale level. part: '' | importance | satisfaction.
-- level: 5 (most: 満足 / 重要) … 1 (least) for scale and pair questions.
CREATE TABLE survey_answers (
    organization_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    response_id BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    part TEXT NOT NULL DEFAULT '',
    option_id BIGINT,
    level BIGINT,
    value_number DOUBLE PRECISION,
    value_text TEXT,
    FOREIGN KEY (organization_id, response_id) REFERENCES survey_responses (organization_id, id)
);
CREATE INDEX survey_answers_by_survey ON survey_answers (organization_id, survey_id, question_id, part);
CREATE INDEX survey_answers_by_response ON survey_answers (organization_id, response_id);

-- "Already answered" marks: the SHA-256 of a per-form nonce (so a double submit stores one response)
-- and of a browser receipt. Deliberately without a response id.
CREATE TABLE survey_receipts (
    organization_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    receipt TEXT NOT NULL,
    PRIMARY KEY (organization_id, survey_id, receipt)
);
