-- Whether an account's scope code names something loaded: a township (township role), a
-- current grid (grid_leader), a facility (partner), else a county (county_centre, viewer).
SELECT CASE CAST(:role AS text)
    WHEN 'township' THEN EXISTS (
        SELECT 1 FROM admin_unit a WHERE a.code = :code AND a.level = 'township')
    WHEN 'grid_leader' THEN EXISTS (
        SELECT 1 FROM grid g WHERE g.code = :code AND g.valid_to IS NULL)
    WHEN 'partner' THEN EXISTS (
        SELECT 1 FROM facility f WHERE f.code = :code)
    ELSE EXISTS (
        SELECT 1 FROM admin_unit a WHERE a.code = :code AND a.level = 'county')
END AS found
