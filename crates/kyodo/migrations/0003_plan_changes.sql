-- Change requests (変更・中止) to an action item, decided by the reform HQ and kept as the item's
-- history; report attachments; cancelled items.

ALTER TABLE plan_nodes ADD COLUMN cancelled BIGINT NOT NULL DEFAULT 0;

-- kind: change | cancel. status: pending | approved | rejected. proposed_json holds the proposed
-- title, body and schedule ({"title": …, "body": …, "schedule": {"2010": "implement", …}}).
CREATE TABLE change_requests (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    node_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    proposed_json TEXT NOT NULL DEFAULT '{}',
    previous_json TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    requested_by BIGINT NOT NULL,
    decided_by BIGINT,
    decision_comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    decided_at TEXT,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, node_id) REFERENCES plan_nodes (organization_id, id)
);
CREATE INDEX change_requests_by_node ON change_requests (organization_id, node_id, created_at);

-- Files attached to a progress report. `version` is the report version being drafted when the file
-- was added: the public sees a file once a version at or after it is published.
CREATE TABLE report_attachments (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    report_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, report_id) REFERENCES progress_reports (organization_id, id)
);
CREATE INDEX report_attachments_by_report ON report_attachments (organization_id, report_id);
