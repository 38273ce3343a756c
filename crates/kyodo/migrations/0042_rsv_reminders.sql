-- 施設予約 reminders by mail: when each booking's reminder was sent (NULL: not yet), set by the one
-- conditional UPDATE that also queues the mail, so with several instances exactly one sends it.
ALTER TABLE rsv_bookings ADD COLUMN deadline_reminded_at TEXT;   -- a 仮予約 whose deadline is within a day
ALTER TABLE rsv_bookings ADD COLUMN day_before_reminded_at TEXT; -- a 本予約 used tomorrow
