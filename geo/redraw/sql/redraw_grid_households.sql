-- Households of every current grid of a county (from its addresses), and whether the grid lies
-- in an urban community (社区) or a rural village (村).
SELECT g.code,
       coalesce(v.short_name LIKE '%社区' OR v.name LIKE '%居民委员会', false) AS urban,
       coalesce((SELECT sum(a.houses) FROM address a WHERE a.grid_id = g.id), 0) AS households
FROM grid g
JOIN admin_unit v ON v.code = g.village_code
WHERE g.valid_to IS NULL AND g.county_code = :county
