-- The parties of one dispute (restricted: read only through geo.disputes.parties).
SELECT id, role, name, id_number, phone, address_text
FROM dispute_party
WHERE dispute_id = :id
ORDER BY id
