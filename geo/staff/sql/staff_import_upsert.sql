-- Insert a staff member or update the one with this code; returns (id, inserted).
INSERT INTO staff (code, county_code, name, role, unit_code, synthetic)
VALUES (:code, :county, :name, :role, :unit, false)
ON CONFLICT (code) DO UPDATE
SET name = EXCLUDED.name, role = EXCLUDED.role, unit_code = EXCLUDED.unit_code,
    county_code = EXCLUDED.county_code
RETURNING id, (xmax = 0) AS inserted
