-- 諮問 → 答申 → 検討結果: what the city asked a council, the council's answer with its numbered
-- recommendations, and the city's decision on each (published with the body).
CREATE TABLE cn_inquiries (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    body_id BIGINT NOT NULL,
    subject TEXT NOT NULL,                   -- 諮問事項
    asked_on TEXT NOT NULL,
    answered_on TEXT,                        -- 答申日
    answer_summary TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, body_id) REFERENCES cn_bodies (organization_id, id)
);

CREATE TABLE cn_recommendations (
    organization_id BIGINT NOT NULL,
    inquiry_id BIGINT NOT NULL,
    number BIGINT NOT NULL,
    text TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT 'pending', -- adopted | partly | not_adopted | pending
    decision_text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, inquiry_id, number),
    FOREIGN KEY (organization_id, inquiry_id) REFERENCES cn_inquiries (organization_id, id)
);
