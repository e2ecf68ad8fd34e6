-- Address points of the given villages with their households and current grid and group codes.
SELECT a.id, a.village_code, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, a.houses,
       g.code AS grid_code, hg.code AS group_code
FROM address a
LEFT JOIN grid g ON g.id = a.grid_id AND g.valid_to IS NULL
LEFT JOIN household_group hg ON hg.id = a.household_group_id AND hg.valid_to IS NULL
WHERE a.village_code = ANY(:villages)
ORDER BY a.id
