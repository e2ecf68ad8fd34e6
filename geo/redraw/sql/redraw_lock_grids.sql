-- Lock the current grids of the villages being redrawn, so nobody changes them mid-apply.
SELECT g.id FROM grid g
WHERE g.valid_to IS NULL AND g.village_code = ANY(:villages)
ORDER BY g.id
FOR UPDATE
