-- The column mapping a city last used to import its evaluation workbook (JSON: field → header).
CREATE TABLE eval_import_mappings (
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    mapping_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id)
);
