-- An organization the demo loader created. The loader writes only into such an organization, so
-- the demo accounts (with their published password) never appear in a real city's data.
ALTER TABLE organizations ADD COLUMN is_demo BIGINT NOT NULL DEFAULT 0;

-- Installations from before the flag: the demo organization is the one under the demo's own name.
UPDATE organizations SET is_demo = 1 WHERE lg_code = '072028' AND name = '会津若松市(デモ)';
