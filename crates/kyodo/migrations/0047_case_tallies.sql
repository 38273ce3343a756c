-- Counts kept as cases are written (cases/tallies.rs), so the public statistics read a few hundred
-- rows instead of every case of a year. Merged cases are not counted. The kept counts are filled
-- from the cases themselves when Kyodo starts and finds none for an organization that has cases.
CREATE TABLE case_tallies (
    organization_id BIGINT NOT NULL,
    type_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    -- YYYY-MM of arrival
    month TEXT NOT NULL,
    category TEXT NOT NULL,
    -- 0: no department
    department_id BIGINT NOT NULL,
    received BIGINT NOT NULL,
    PRIMARY KEY (organization_id, type_id, fiscal_year, month, category, department_id)
);

-- Answered cases by calendar days from arrival to answer (the median is read from it).
CREATE TABLE case_answer_days (
    organization_id BIGINT NOT NULL,
    type_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    days BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (organization_id, type_id, fiscal_year, days)
);
