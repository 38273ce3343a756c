-- Anonymous answers per client address, survey and day: a script that sends answers with a fresh
-- cookie each time is held to a few a day from one address. The address is kept only as a digest
-- with the survey id, per day, and never linked to a response; old days are removed.
CREATE TABLE survey_address_counts (
    organization_id BIGINT NOT NULL,
    survey_id BIGINT NOT NULL,
    address_digest TEXT NOT NULL,
    day TEXT NOT NULL,                       -- YYYY-MM-DD (UTC)
    answers BIGINT NOT NULL,
    PRIMARY KEY (organization_id, survey_id, address_digest, day)
);
