-- Insert the staged signals; one already stored (same external_id) is left alone.
INSERT INTO signal (external_id, source, county_code, kind, observed_at, weight, location_text,
                    description, geocode_level, grid_id, synthetic, geom)
SELECT external_id, source, county_code, kind, observed_at, weight, location_text, description,
       geocode_level, grid_id, synthetic,
       CASE WHEN lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END
FROM intake_signal
ORDER BY row_number
ON CONFLICT (external_id) DO NOTHING
RETURNING id, external_id
