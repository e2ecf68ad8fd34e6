-- The grids valid at :when (optionally of one village): closed ones included when they were
-- current then.
SELECT g.id, g.code, g.name, g.village_code, g.township_code, g.households, g.population,
       g.valid_from, g.valid_to, g.synthetic, ST_AsBinary(g.geom) AS wkb
FROM grid g
WHERE g.valid_from <= :when
  AND (g.valid_to IS NULL OR g.valid_to > :when)
  AND (CAST(:village AS text) IS NULL OR g.village_code = :village)
ORDER BY g.code
