-- Every case of a kind arriving in one month added 1 to the same row, and PostgreSQL keeps a
-- row's lock until commit: a storm of submissions queued on it. The count is now kept in eight
-- rows (shard = the case's id mod 8) that the statistics add up (cases/tallies.rs). The kept
-- counts move to shard 0 as they are.
CREATE TABLE case_tallies_sharded (
    organization_id BIGINT NOT NULL,
    type_id BIGINT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    -- YYYY-MM of arrival
    month TEXT NOT NULL,
    category TEXT NOT NULL,
    -- 0: no department
    department_id BIGINT NOT NULL,
    shard BIGINT NOT NULL,
    received BIGINT NOT NULL,
    PRIMARY KEY (organization_id, type_id, fiscal_year, month, category, department_id, shard)
);
INSERT INTO case_tallies_sharded (organization_id, type_id, fiscal_year, month, category,
    department_id, shard, received)
SELECT organization_id, type_id, fiscal_year, month, category, department_id, 0, received
FROM case_tallies;
DROP TABLE case_tallies;
ALTER TABLE case_tallies_sharded RENAME TO case_tallies;
