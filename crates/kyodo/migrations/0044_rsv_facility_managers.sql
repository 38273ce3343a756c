-- 指定管理者 accounts: the people of a designated manager who sign in to send the facility's monthly
-- reports themselves. Any account of the organization (usually a citizen account made for them);
-- it reaches only the facilities it is assigned to, and only their reports and figures.
CREATE TABLE rsv_facility_managers (
    organization_id BIGINT NOT NULL,
    facility_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    assigned_by BIGINT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, facility_id, user_id),
    FOREIGN KEY (organization_id, facility_id) REFERENCES rsv_facilities (organization_id, id)
);
CREATE INDEX rsv_facility_managers_by_user ON rsv_facility_managers (organization_id, user_id);
