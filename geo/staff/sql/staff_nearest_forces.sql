-- For each asked role, the people nearest a case: those who serve the case's grid first,
-- then by distance (metres) from the case's point to the nearest grid they serve, among the
-- :grid_pool grids nearest the point (index-assisted; beyond that a person is not "near").
WITH here AS (
    SELECT CASE WHEN CAST(:lon AS float8) IS NULL THEN NULL
                ELSE ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) END AS pt
), near_grids AS (
    SELECT g.id, ST_Distance(g.geom::geography, here.pt::geography) AS metres
    FROM here, LATERAL (
        SELECT n.id, n.geom FROM grid n
        WHERE n.valid_to IS NULL AND n.county_code = CAST(:county AS text)
          AND here.pt IS NOT NULL
        ORDER BY n.geom <-> here.pt
        LIMIT :grid_pool
    ) g
    UNION
    SELECT CAST(:grid_id AS bigint), 0.0 WHERE CAST(:grid_id AS bigint) IS NOT NULL
), served AS (
    SELECT sg.staff_id, sg.grid_id FROM staff_grid sg JOIN near_grids n ON n.id = sg.grid_id
    UNION
    SELECT g.leader_id, g.id FROM grid g JOIN near_grids n ON n.id = g.id
    WHERE g.leader_id IS NOT NULL
)
SELECT r.role, x.id, x.code, x.name, x.unit_code, x.serves_grid, x.metres
FROM unnest(CAST(:roles AS text[])) WITH ORDINALITY AS r(role, ord)
CROSS JOIN LATERAL (
    SELECT s.id, s.code, s.name, s.unit_code,
           bool_or(v.grid_id = CAST(:grid_id AS bigint)) AS serves_grid,
           min(n.metres) AS metres
    FROM served v
    JOIN near_grids n ON n.id = v.grid_id
    JOIN staff s ON s.id = v.staff_id
    WHERE s.role = r.role AND s.county_code = CAST(:county AS text)
    GROUP BY s.id
    ORDER BY serves_grid DESC, metres ASC NULLS LAST, s.code
    LIMIT :per_role
) x
ORDER BY r.ord, x.serves_grid DESC, x.metres NULLS LAST, x.code
