-- Mark one notification read by one user (a second mark keeps the first time).
INSERT INTO notification_read (notification_id, username, read_at)
VALUES (:id, :username, CAST(:at AS timestamptz))
ON CONFLICT (notification_id, username) DO NOTHING
