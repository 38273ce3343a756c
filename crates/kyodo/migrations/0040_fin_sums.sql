-- 予算・決算 sums kept with each edition: by 款 and by 性質 for each side, computed when the edition is
-- written (the lines are never changed afterwards), so the public page reads a few dozen rows
-- instead of summing an edition's 200,000 節 lines. Editions imported before are summed here.
CREATE TABLE fin_sums (
    organization_id BIGINT NOT NULL,
    edition_id BIGINT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('revenue', 'expenditure')),
    by_nature BIGINT NOT NULL,               -- 0: by 款, 1: by 性質
    name TEXT NOT NULL,
    amount BIGINT NOT NULL,                  -- 円
    PRIMARY KEY (organization_id, edition_id, side, by_nature, name),
    FOREIGN KEY (organization_id, edition_id) REFERENCES fin_editions (organization_id, id)
);

INSERT INTO fin_sums (organization_id, edition_id, side, by_nature, name, amount)
SELECT organization_id, edition_id, side, 0, kan, CAST(SUM(amount) AS BIGINT) FROM fin_lines
GROUP BY organization_id, edition_id, side, kan;

INSERT INTO fin_sums (organization_id, edition_id, side, by_nature, name, amount)
SELECT organization_id, edition_id, side, 1, nature, CAST(SUM(amount) AS BIGINT) FROM fin_lines
GROUP BY organization_id, edition_id, side, nature;
