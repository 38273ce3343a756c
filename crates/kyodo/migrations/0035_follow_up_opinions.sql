-- 委員意見, generalised (S-1.3.3 follow-up after adoption): a committee's opinion on a whole plan,
-- a plan item (on its report for a period, as before) or a 施策 of the evaluation's policy tree,
-- answered by the city and published with the answer. The subject is checked by the code that
-- writes it (three tables could be meant), and removing a plan item or 施策 counts these rows.
CREATE TABLE follow_up_opinions (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    id BIGINT NOT NULL,
    subject TEXT NOT NULL CHECK (subject IN ('plan', 'item', 'policy')),
    subject_id BIGINT NOT NULL,
    period_id BIGINT,                        -- an item's reporting period; none for a plan or 施策
    committee_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    opinion TEXT NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    published BIGINT NOT NULL DEFAULT 0,     -- published together with the response
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id),
    CHECK ((subject = 'item') = (period_id IS NOT NULL))
);
CREATE INDEX follow_up_opinions_by_subject ON follow_up_opinions (organization_id, subject, subject_id);
CREATE INDEX follow_up_opinions_by_committee ON follow_up_opinions (organization_id, committee_id, published);

INSERT INTO follow_up_opinions (organization_id, id, subject, subject_id, period_id, committee_id,
                                author_id, opinion, response, published, created_at)
SELECT organization_id, id, 'item', node_id, period_id, committee_id, author_id, opinion, response,
       published, created_at
FROM committee_opinions;

DROP TABLE committee_opinions;
