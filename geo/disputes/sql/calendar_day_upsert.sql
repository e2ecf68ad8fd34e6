-- Store one day of a working calendar, replacing the day if that calendar has it already.
INSERT INTO calendar_day (calendar, day, kind, name)
VALUES (:calendar, :day, :kind, :name)
ON CONFLICT (calendar, day) DO UPDATE SET kind = excluded.kind, name = excluded.name
