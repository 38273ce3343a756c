-- A case that concerns a plan item (実施計画の取組項目): staff link it, and the item's page lists
-- the desk's cases about it for staff (never the public: subjects may carry personal data).
ALTER TABLE cases ADD COLUMN plan_node_id BIGINT;
CREATE INDEX cases_by_plan_node ON cases (organization_id, plan_node_id);
