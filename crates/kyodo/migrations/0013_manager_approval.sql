-- 所属長承認: when the organization asks for it (org_settings key `manager_approval`, on unless
-- 'off'), a submitted evaluation sheet waits for its department's manager before 二次評価.
-- Progress reports carry the same step as their status 'confirmed'.
ALTER TABLE eval_sheets ADD COLUMN manager_approved_at TEXT;
ALTER TABLE eval_sheets ADD COLUMN manager_approved_by BIGINT;
