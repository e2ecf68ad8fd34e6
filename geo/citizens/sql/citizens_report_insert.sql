-- Link a new case to the public channel it came through (the follow-up token only as its hash).
INSERT INTO citizen_report (dispute_id, channel, follow_token_hash, api_key_id)
VALUES (:dispute_id, :channel, :token_hash, :api_key_id)
RETURNING id
