-- Grids flagged in the latest hotspot period of one county: one row per grid (the
-- highest-scoring method), drawn with the grid's current shape.
WITH last AS (
    SELECT max(h.period_start) AS period_start
    FROM hotspot h JOIN grid g ON g.id = h.grid_id
    WHERE g.county_code = :county
)
SELECT DISTINCT ON (g.id)
       g.code, g.name, h.method, h.hotspot_class, h.score, h.z, h.explanation, h.status,
       h.period_start, g.synthetic, ST_AsBinary(g.geom) AS wkb
FROM hotspot h
JOIN grid g ON g.id = h.grid_id
JOIN last ON h.period_start = last.period_start
WHERE g.county_code = :county AND g.valid_to IS NULL
  AND wangge_covers_area(g.code, CAST(:scope_area AS text))
ORDER BY g.id, h.score DESC NULLS LAST
