-- Foundation: organizations, departments, people, roles, sessions, one-time tokens, audit log.
-- Portable between SQLite and PostgreSQL: BIGINT ids assigned by the application, TEXT timestamps
-- (RFC 3339 UTC), flags as BIGINT 0/1 (sqlx's Any driver cannot decode SQLite BOOLEAN). Every tenant table leads its keys and indexes with organization_id so that
-- organizations can later be sharded onto separate databases.

CREATE TABLE organizations (
    id BIGINT PRIMARY KEY,
    lg_code TEXT NOT NULL UNIQUE,            -- 全国地方公共団体コード, check digit validated
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    fiscal_year_start_month BIGINT NOT NULL DEFAULT 4,
    hostname TEXT UNIQUE,                    -- optional: serve this organization on this Host
    created_at TEXT NOT NULL
);

-- 部 → 課 → 係
CREATE TABLE departments (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    parent_id BIGINT,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL,                     -- bu | ka | kakari
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, code),
    FOREIGN KEY (organization_id, parent_id) REFERENCES departments (organization_id, id)
);

CREATE TABLE committees (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

CREATE TABLE users (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    email TEXT NOT NULL,                     -- stored lower-case
    display_name TEXT NOT NULL,
    kind TEXT NOT NULL,                      -- citizen | staff
    department_id BIGINT,
    password_hash TEXT NOT NULL,             -- argon2id PHC string
    email_verified BIGINT NOT NULL DEFAULT 0,
    disabled BIGINT NOT NULL DEFAULT 0,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, email),
    FOREIGN KEY (organization_id, department_id) REFERENCES departments (organization_id, id)
);

-- role: staff | dept_manager (scope = department), committee_member (scope = committee),
-- reform_hq | sysadmin (scope 0). Citizens hold no grant: being signed in as a citizen is the role.
CREATE TABLE role_grants (
    organization_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    role TEXT NOT NULL,
    scope_id BIGINT NOT NULL DEFAULT 0,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id, role, scope_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id)
);

-- Server-side sessions; the cookie holds a random secret, the table only its SHA-256.
CREATE TABLE sessions (
    organization_id BIGINT NOT NULL,
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, token_hash),
    FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id)
);
CREATE INDEX sessions_by_user ON sessions (organization_id, user_id);

-- One-time tokens for e-mail verification and password reset (hash only).
CREATE TABLE user_tokens (
    organization_id BIGINT NOT NULL,
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    purpose TEXT NOT NULL,                   -- verify_email | reset_password
    expires_at TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (organization_id, token_hash),
    FOREIGN KEY (organization_id, user_id) REFERENCES users (organization_id, id)
);

-- Tamper-evident audit log (S-1.2.3): entry n stores hash(entry n-1) and its own hash.
CREATE TABLE audit_log (
    organization_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (organization_id, seq)
);
CREATE INDEX audit_log_by_action ON audit_log (organization_id, action, seq);

-- The head of each organization's chain. Appending updates this row first, which serialises
-- concurrent appenders on both backends (row lock in PostgreSQL, write lock in SQLite).
CREATE TABLE audit_heads (
    organization_id BIGINT PRIMARY KEY REFERENCES organizations (id),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
