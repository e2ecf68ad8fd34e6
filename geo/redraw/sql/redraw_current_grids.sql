-- Current grids of the given villages.
SELECT g.id, g.code, g.name, g.village_code, ST_AsBinary(g.geom) AS wkb
FROM grid g
WHERE g.valid_to IS NULL AND g.village_code = ANY(:villages)
ORDER BY g.code
