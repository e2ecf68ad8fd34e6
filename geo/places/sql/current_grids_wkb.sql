-- Current grids (of one county, or all) as WKB, for the in-memory index.
SELECT id, code, ST_AsBinary(geom) AS wkb
FROM grid
WHERE valid_to IS NULL
  AND (CAST(:county AS text) IS NULL OR county_code = CAST(:county AS text))
