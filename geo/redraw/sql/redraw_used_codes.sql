-- Every grid and household-group code the given villages ever used (history included), so that
-- a new grid or group never takes the code of a closed one.
SELECT 'grid' AS kind, g.village_code, g.code FROM grid g WHERE g.village_code = ANY(:villages)
UNION
SELECT 'group', g.village_code, h.code
FROM household_group h JOIN grid g ON g.id = h.grid_id
WHERE g.village_code = ANY(:villages)
