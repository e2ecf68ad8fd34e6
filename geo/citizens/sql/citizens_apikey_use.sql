-- The live key with this hash, stamped as used now; no row when unknown or revoked.
UPDATE citizen_api_key SET last_used_at = now()
WHERE key_hash = :key_hash AND revoked_at IS NULL
RETURNING id, name
