-- Who is on duty at :at: shifts whose half-open range [starts_at, ends_at) contains :at (at a
-- shift boundary exactly one shift of a post holds; GiST index duty_shift_during), per centre,
-- optionally one centre or county, within an area scope (the centre's unit code starts with
-- the scope, or the scope lies in the centre's unit: a grid user sees its township's and
-- county's centres).
SELECT f.code AS centre_code, f.name AS centre_name, f.kind AS centre_kind,
       f.admin_code AS centre_unit, ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat, d.id AS shift_id, d.post, d.starts_at, d.ends_at,
       s.id AS staff_id, s.code AS staff_code, s.name, s.role, d.synthetic
FROM duty_shift d
JOIN facility f ON f.id = d.centre_id
JOIN staff s ON s.id = d.staff_id
WHERE tstzrange(d.starts_at, d.ends_at, '[)') @> CAST(:at AS timestamptz)
  AND (CAST(:centre_id AS bigint) IS NULL OR d.centre_id = CAST(:centre_id AS bigint))
  AND (CAST(:county AS text) IS NULL OR d.county_code = CAST(:county AS text))
  AND (wangge_covers_area(f.admin_code, CAST(:scope_area AS text))
       OR CAST(:scope_area AS text) LIKE f.admin_code || '%')
ORDER BY f.kind <> 'county_centre', f.code,
         array_position(ARRAY['leader', 'officer', 'standby'], d.post::text), s.code
