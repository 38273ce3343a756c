-- An importance × satisfaction pair may be bound to a 施策 of the comprehensive plan (行政評価), so its
-- results appear on the 施策 page beside indicators and cost.
ALTER TABLE survey_questions ADD COLUMN policy_node_id BIGINT;
