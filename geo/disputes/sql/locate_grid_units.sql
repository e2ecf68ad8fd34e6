-- Current grids with their county, village and township, for locating intake records.
SELECT id, code, county_code, village_code, township_code
FROM grid
WHERE valid_to IS NULL
  AND (CAST(:county AS text) IS NULL OR county_code = CAST(:county AS text))
