-- API tokens: made by a user for themselves (a system's token is a user's too, e.g. an account for
-- the finance system). Only the SHA-256 of the secret is kept; the secret is shown once. scopes:
-- space-separated (accounts/api_tokens.rs › Scope). A revoked or expired token authenticates nothing.
CREATE TABLE api_tokens (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    -- YYYY-MM-DD, the last day it works
    expires_on TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX api_tokens_by_user ON api_tokens (organization_id, user_id, created_at);
