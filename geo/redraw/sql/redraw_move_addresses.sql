-- Put the addresses of the plan into their proposed grids and groups; addresses added since the
-- plan was made go to the new grid and group that hold their point.
WITH planned AS (
    UPDATE address a SET grid_id = g.id, household_group_id = h.id
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id bigint, grid text, grp text)
    JOIN grid g ON g.code = r.grid AND g.valid_to IS NULL
    LEFT JOIN household_group h ON h.code = r.grp AND h.valid_to IS NULL
    WHERE a.id = r.id
    RETURNING a.id
), unplanned AS (
    UPDATE address a
    SET grid_id = (SELECT g.id FROM grid g
                   WHERE g.valid_to IS NULL AND g.village_code = a.village_code
                     AND ST_Intersects(g.geom, a.geom)
                   ORDER BY g.code LIMIT 1),
        household_group_id = (SELECT h.id FROM household_group h
                              JOIN grid g ON g.id = h.grid_id
                              WHERE h.valid_to IS NULL AND g.valid_to IS NULL
                                AND g.village_code = a.village_code
                                AND ST_Intersects(h.geom, a.geom)
                              ORDER BY h.code LIMIT 1)
    WHERE a.village_code = ANY(:villages)
      AND NOT a.id IN (SELECT (r.value ->> 'id')::bigint
                       FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS r)
    RETURNING a.id
)
SELECT (SELECT count(*) FROM planned) AS planned, (SELECT count(*) FROM unplanned) AS unplanned
