-- Every partner key: name, prefix, issued, last used, revoked.
SELECT id, name, key_prefix, created_at, last_used_at, revoked_at
FROM citizen_api_key
ORDER BY name
