-- Current grids inside a redraw plan's scope (a village or township code prefix).
SELECT g.code, g.name, g.households, g.population, g.synthetic, ST_AsBinary(g.geom) AS wkb
FROM grid g
WHERE g.valid_to IS NULL AND g.code LIKE CAST(:scope AS text) || '%'
ORDER BY g.code
