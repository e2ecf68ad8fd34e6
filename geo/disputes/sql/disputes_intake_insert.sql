-- Insert the staged batch; a record whose external_id is already stored is left alone
-- (idempotent re-sends) and is absent from RETURNING, which is how it is reported.
INSERT INTO dispute (external_id, source, county_code, category, severity, reported_at,
                     location_text, description, geocode_level, geocode_score, address_id,
                     grid_id, status, deadline, synthetic, geom, location_admin_code,
                     location_check)
SELECT external_id, source, county_code, category, severity, reported_at, location_text,
       description, geocode_level, geocode_score, address_id, grid_id, 'received', deadline,
       synthetic,
       CASE WHEN lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END,
       location_admin_code, CAST(location_check AS jsonb)
FROM intake_dispute
ORDER BY row_number
ON CONFLICT (external_id) DO NOTHING
RETURNING id, external_id
