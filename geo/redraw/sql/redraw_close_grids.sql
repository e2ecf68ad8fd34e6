-- Close the current grids of the villages (and their current household groups) at :at.
WITH closed AS (
    UPDATE grid SET valid_to = :at
    WHERE valid_to IS NULL AND village_code = ANY(:villages)
    RETURNING id, code, name, county_code, township_code, village_code, leader_id, synthetic
), groups AS (
    UPDATE household_group h SET valid_to = :at
    FROM closed c
    WHERE h.grid_id = c.id AND h.valid_to IS NULL
    RETURNING h.id
)
SELECT c.id, c.code, c.name, c.county_code, c.township_code, c.village_code, c.leader_id,
       c.synthetic, (SELECT count(*) FROM groups) AS groups_closed
FROM closed c
