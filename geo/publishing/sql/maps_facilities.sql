-- Facilities of one county (centres, police, court stations, judicial offices …).
SELECT f.code, f.kind, f.name, f.synthetic, ST_AsBinary(f.geom) AS wkb
FROM facility f
WHERE f.county_code = :county
ORDER BY f.kind, f.code
