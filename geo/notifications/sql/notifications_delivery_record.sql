-- How one delivery went: status, channel, tries added, the last error, when delivered.
UPDATE notification
SET delivery_status = CAST(:status AS text),
    channel = :channel,
    attempts = attempts + :tries,
    last_error = :error,
    delivered_at = CASE WHEN CAST(:status AS text) = 'delivered'
                        THEN CAST(:at AS timestamptz) END
WHERE id = :id
