-- Store reminders given as a JSON array; one per case, kind and deadline (a second sweep
-- stores nothing new for the same ones). Returns the kind of each reminder stored.
INSERT INTO notification (dispute_id, kind, county_code, unit_code, units, deadline, message)
SELECT r.dispute_id, r.kind, r.county_code, r.unit_code,
       ARRAY(SELECT jsonb_array_elements_text(r.units)), r.deadline, r.message
FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(
    dispute_id bigint, kind text, county_code text, unit_code text, units jsonb,
    deadline timestamptz, message text)
ON CONFLICT ON CONSTRAINT notification_once DO NOTHING
RETURNING id, kind
