-- A consultation may be linked to a 施策 of the 総合計画 (as it may to a plan item); both pages show it.
ALTER TABLE pc_consultations ADD COLUMN policy_node_id BIGINT;
