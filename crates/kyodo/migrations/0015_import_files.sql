-- A workbook uploaded for import, kept while the HQ chooses its sheet and header row, maps its
-- columns and checks the preview, so the file is sent once. In the database (base64 text, the same
-- on both backends), not on one machine's disk: any instance serves the next step. Files are
-- removed a day after upload; `report_json` records what an applied import did.
CREATE TABLE import_files (
    organization_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content_base64 TEXT NOT NULL,
    report_json TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX import_files_age ON import_files (organization_id, created_at);
