-- 予算・決算 lines kept in blocks of 1,000 (a JSON array of [side, 款, 項, 目, 節, 性質, 円] per
-- line, in file order): lines are never changed once imported, are read only by edition in file
-- order (the lines CSV), and every figure a page shows is kept in fin_sums — so a city's twenty
-- years (4,000,000 lines) are 4,000 rows, written in seconds rather than minutes. Lines stored in
-- fin_lines before are moved into blocks when the application starts (finance::store).
CREATE TABLE fin_line_blocks (
    organization_id BIGINT NOT NULL,
    edition_id BIGINT NOT NULL,
    block_no BIGINT NOT NULL,
    lines_json TEXT NOT NULL,
    PRIMARY KEY (organization_id, edition_id, block_no),
    FOREIGN KEY (organization_id, edition_id) REFERENCES fin_editions (organization_id, id)
);

-- The column mapping an organization last imported a budget file with (kyodo_decode's
-- budget::columns::Mapping as JSON), offered again on the import form so next year's file of the
-- same layout imports without mapping again.
CREATE TABLE fin_import_mappings (
    organization_id BIGINT NOT NULL PRIMARY KEY REFERENCES organizations (id),
    mapping_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
