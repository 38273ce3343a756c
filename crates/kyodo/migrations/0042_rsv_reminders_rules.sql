-- 施設予約: reminders by mail, and who may book each facility.
-- 施設予約 reminders by mail: when each booking's reminder was sent (NULL: not yet), set by the one
-- conditional UPDATE that also queues the mail, so with several instances exactly one sends it.
ALTER TABLE rsv_bookings ADD COLUMN deadline_reminded_at TEXT;   -- a 仮予約 whose deadline is within a day
ALTER TABLE rsv_bookings ADD COLUMN day_before_reminded_at TEXT; -- a 本予約 used tomorrow

-- Who may book a facility's rooms (per facility): any registered user, residents only
-- (市内在住・在勤・在学), or groups only (団体登録).
ALTER TABLE rsv_facilities ADD COLUMN booking_rule TEXT NOT NULL DEFAULT 'any' CHECK (booking_rule IN ('any', 'residents', 'groups'));
