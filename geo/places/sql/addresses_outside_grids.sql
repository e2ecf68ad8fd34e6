-- Addresses that no current grid covers (reported, never dropped).
SELECT a.code, a.full_text, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat
FROM address a
WHERE (CAST(:county AS text) IS NULL OR a.county_code = CAST(:county AS text))
  AND NOT EXISTS (SELECT 1 FROM grid g
                  WHERE g.valid_to IS NULL AND ST_Covers(g.geom, a.geom))
ORDER BY a.code
