-- E-mail subscriptions to new consultations and published results. The token is the address's
-- own link to confirm or cancel (it grants nothing else), mailed with every message.
CREATE TABLE pc_subscriptions (
    organization_id BIGINT NOT NULL,
    email TEXT NOT NULL,
    token TEXT NOT NULL,
    confirmed BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, email),
    UNIQUE (organization_id, token)
);
