-- Reverse geocoding, part 2: the standard address nearest to a WGS84 point within
-- :tolerance metres. The GiST index orders by planar degrees (<->); the few nearest by that
-- are re-ranked by true distance on the spheroid, which is what the tolerance is in.
WITH p AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS geom),
near AS (
    SELECT a.id, a.code, a.full_text, a.geom, a.grid_id
    FROM address a, p
    ORDER BY a.geom <-> p.geom
    LIMIT 8
)
SELECT near.code AS address_code, near.full_text, g.code AS grid_code,
       ST_X(near.geom) AS lon, ST_Y(near.geom) AS lat,
       ST_Distance(near.geom::geography, p.geom::geography) AS distance_m
FROM near
CROSS JOIN p
LEFT JOIN grid g ON g.id = near.grid_id
WHERE ST_DWithin(near.geom::geography, p.geom::geography, :tolerance)
ORDER BY distance_m, near.code
LIMIT 1
