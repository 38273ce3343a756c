-- Each organization's minutes change counter: every transaction that writes meetings bumps it,
-- so each Kyodo instance learns with one primary-key read whether its search index (derived data
-- in its data directory) is behind the database.
CREATE TABLE minutes_index_versions (
    organization_id BIGINT NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);
