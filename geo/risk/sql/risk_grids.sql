-- Current grids of a county with what the risk panel needs per grid: size, and distances (m)
-- from the grid's centre to the nearest police station, mediation committee and township centre.
WITH g AS (
    SELECT id, code, households, population, ST_PointOnSurface(geom) AS centre
    FROM grid
    WHERE valid_to IS NULL AND county_code = :county
)
SELECT g.id, g.code, g.households, g.population,
       ST_X(g.centre) AS lon, ST_Y(g.centre) AS lat,
       (SELECT ST_Distance(g.centre::geography, f.geom::geography) FROM facility f
        WHERE f.kind = 'police_station' ORDER BY f.geom <-> g.centre LIMIT 1) AS dist_police,
       (SELECT ST_Distance(g.centre::geography, f.geom::geography) FROM facility f
        WHERE f.kind = 'mediation_committee' ORDER BY f.geom <-> g.centre LIMIT 1)
           AS dist_mediation,
       (SELECT ST_Distance(g.centre::geography, f.geom::geography) FROM facility f
        WHERE f.kind = 'township_centre' ORDER BY f.geom <-> g.centre LIMIT 1) AS dist_township
FROM g
ORDER BY g.code
