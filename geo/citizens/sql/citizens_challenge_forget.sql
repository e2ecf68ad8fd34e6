-- Drop the used nonces of tickets that expired before :before (refused by their expiry anyway).
DELETE FROM used_challenge WHERE expires_at < CAST(:before AS timestamptz)
