-- A partner's new Open311 key (its hash and a short prefix to recognise it by).
INSERT INTO citizen_api_key (name, key_hash, key_prefix)
VALUES (:name, :key_hash, :key_prefix)
RETURNING id, name, key_prefix, created_at
