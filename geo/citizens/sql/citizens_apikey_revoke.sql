-- Revoke a partner's key (kept for the record of what it posted).
UPDATE citizen_api_key SET revoked_at = now()
WHERE name = :name AND revoked_at IS NULL
RETURNING id
