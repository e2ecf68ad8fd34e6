-- Current household groups of the given villages with their leaders (carried over where a
-- group keeps its code).
SELECT h.code, h.leader_id
FROM household_group h
JOIN grid g ON g.id = h.grid_id
WHERE h.valid_to IS NULL AND g.valid_to IS NULL AND g.village_code = ANY(:villages)
