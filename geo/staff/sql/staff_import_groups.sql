-- Current ten-household group codes of one county → the code of their grid.
SELECT h.code, g.code FROM household_group h JOIN grid g ON g.id = h.grid_id
WHERE h.county_code = CAST(:county AS text) AND h.valid_to IS NULL
