-- Standard addresses for the geocoding gazetteer, with the code of the grid they sit on.
SELECT a.code, a.county_code, a.township_code, a.village_code, a.full_text, a.group_no,
       ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat, g.code AS grid_code
FROM address a
LEFT JOIN grid g ON g.id = a.grid_id
WHERE CAST(:county AS text) IS NULL OR a.county_code = CAST(:county AS text)
ORDER BY a.id
