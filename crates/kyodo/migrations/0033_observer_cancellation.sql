-- 傍聴 cancellation: the key mailed at registration (stored as a digest) cancels it; a cancelled
-- registration keeps its row (and position) with the time, and the meeting counts cancellations
-- so the seats left need no count of rows.
ALTER TABLE cn_observers ADD COLUMN cancel_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE cn_observers ADD COLUMN cancelled_at TEXT;
ALTER TABLE cn_meetings ADD COLUMN cancellations BIGINT NOT NULL DEFAULT 0;
