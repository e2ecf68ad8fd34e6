-- One opaque key per ID number and per phone of the parties of the disputes :case_ids, with
-- every dispute (any county) where that ID number or phone appears. The key is a rank within
-- this answer only: ID numbers, phones and names never leave the database.
WITH identity AS (
    SELECT 'id_number' AS kind, id_number AS value
    FROM dispute_party
    WHERE dispute_id = ANY(CAST(:case_ids AS bigint[])) AND id_number <> ''
    UNION
    SELECT 'phone', phone
    FROM dispute_party
    WHERE dispute_id = ANY(CAST(:case_ids AS bigint[])) AND phone <> ''
), keyed AS (
    SELECT kind, value, dense_rank() OVER (ORDER BY kind, value) AS party_key
    FROM identity
)
SELECT p.dispute_id, k.party_key
FROM keyed k JOIN dispute_party p ON k.kind = 'id_number' AND p.id_number = k.value
UNION
SELECT p.dispute_id, k.party_key
FROM keyed k JOIN dispute_party p ON k.kind = 'phone' AND p.phone = k.value
ORDER BY dispute_id, party_key
