-- Names of the current grids, for results people read.
SELECT code, name
FROM grid
WHERE valid_to IS NULL
  AND (CAST(:county AS text) IS NULL OR county_code = CAST(:county AS text))
