-- Scopes for the demo accounts of a county: its first township with grids, that township's
-- first grid, and a police station (else any facility).
SELECT
    (SELECT g.township_code FROM grid g
     WHERE g.valid_to IS NULL AND g.county_code = :county ORDER BY g.code LIMIT 1) AS township,
    (SELECT g.code FROM grid g
     WHERE g.valid_to IS NULL AND g.county_code = :county ORDER BY g.code LIMIT 1) AS grid,
    (SELECT f.code FROM facility f WHERE f.county_code = :county
     ORDER BY f.kind <> 'police_station', f.code LIMIT 1) AS facility
