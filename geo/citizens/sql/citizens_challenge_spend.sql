-- Spend a challenge ticket: record its nonce unless it was already tried. One atomic statement:
-- of two tries of the same ticket arriving at once from any server processes, exactly one
-- inserts the row and gets the nonce back; the other waits on the primary key, then returns
-- no row.
INSERT INTO used_challenge (nonce, expires_at)
VALUES (:nonce, CAST(:expires_at AS timestamptz))
ON CONFLICT (nonce) DO NOTHING
RETURNING nonce
