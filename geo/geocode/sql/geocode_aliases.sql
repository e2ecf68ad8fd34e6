-- The county's alias table: extra spellings of units and addresses, and landmarks.
SELECT alias, target_code, kind, lon, lat
FROM geocode_alias
WHERE CAST(:county AS text) IS NULL OR county_code = CAST(:county AS text)
ORDER BY id
