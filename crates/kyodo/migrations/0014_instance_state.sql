-- State that used to live in one process's memory, so that it holds with several Kyodo instances
-- on one database.

-- Sign-in attempts per client address in one-minute windows (KYODO_LOGIN_PER_MINUTE), on top of
-- the per-account delays of login_delays.
CREATE TABLE login_attempts (
    organization_id BIGINT NOT NULL,
    address TEXT NOT NULL,
    window_start TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    PRIMARY KEY (organization_id, address)
);

-- A scheduled job's run for one day, claimed before it acts: a daily job started by every
-- instance's timer (e.g. `kyodo evaluation remind`) acts once.
CREATE TABLE scheduled_runs (
    organization_id BIGINT NOT NULL,
    job TEXT NOT NULL,
    run_on TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, job, run_on)
);
