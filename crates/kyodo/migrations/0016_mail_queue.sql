-- Outgoing mail, a durable queue: a message is written in the transaction of the action that sends
-- it and delivered by a worker on any instance. A claim is one conditional UPDATE, so two instances
-- never send a message twice; a failed delivery is retried with a growing delay, then given up
-- (`failed_at`). Without SMTP a message is delivered on arrival: the table is the outbox.
CREATE TABLE mail_messages (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    failed_at TEXT,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX mail_messages_due ON mail_messages (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_messages_outbox ON mail_messages (organization_id, created_at);
