-- Idempotency-Key for the API's writes: the first request with a key claims it (status NULL while
-- it runs); a successful answer is kept for 24 hours and replayed to a retry with the same key and
-- the same request; a failed one releases the key. One row per (organization, actor, key), so two
-- instances handling the same retry at once cannot both apply it.
CREATE TABLE api_idempotency (
    organization_id BIGINT NOT NULL,
    -- token:<id> or user:<id>, as the audit log names the actor
    actor TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    -- SHA-256 of method, path, query and body
    request_digest TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    body TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, actor, idem_key)
);
CREATE INDEX api_idempotency_by_age ON api_idempotency (created_at);
