-- A council that follows a plan up after adoption works as a committee (委員会): its members write
-- opinions on plan items' progress and the city answers (committee_opinions). The link says which
-- committee the body is, so the body's page shows its follow-up opinions.
ALTER TABLE cn_bodies ADD COLUMN committee_id BIGINT;
