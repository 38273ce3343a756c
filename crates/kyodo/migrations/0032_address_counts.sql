-- One counter for every anonymous submission limited per client address and day (survey answers,
-- opinions, 傍聴 registrations, applications to a call): scope and target name what is counted;
-- the address is kept only as a digest with them, never with what was submitted. Replaces the
-- surveys' and the consultations' own tables (day counters: nothing worth carrying over).
CREATE TABLE address_counts (
    organization_id BIGINT NOT NULL,
    scope TEXT NOT NULL,                     -- survey | consultation | council_meeting | council_call
    target_id BIGINT NOT NULL,
    address_digest TEXT NOT NULL,
    day TEXT NOT NULL,                       -- YYYY-MM-DD (UTC)
    n BIGINT NOT NULL,
    PRIMARY KEY (organization_id, scope, target_id, address_digest, day)
);
DROP TABLE survey_address_counts;
DROP TABLE pc_address_counts;
