-- One row of the alias table, replacing the same spelling of the same county.
INSERT INTO geocode_alias (county_code, alias, target_code, kind, lon, lat, note)
VALUES (:county, :alias, :target, :kind, :lon, :lat, :note)
ON CONFLICT (county_code, alias) DO UPDATE
SET target_code = EXCLUDED.target_code, kind = EXCLUDED.kind, lon = EXCLUDED.lon,
    lat = EXCLUDED.lat, note = EXCLUDED.note
