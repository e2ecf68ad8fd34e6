-- Disputes as a GeoJSON FeatureCollection (no party details: those have their own door).
-- Filters: status, grid, township, village, category, overdue (open and past deadline at
-- :now), period of report, and the caller's scope (area code prefix, partner facility).
-- Disputes without a point are features with a null geometry.
WITH hits AS (
    SELECT d.*, g.code AS grid_code, g.village_code, g.township_code
    FROM dispute d
    LEFT JOIN grid g ON g.id = d.grid_id
    LEFT JOIN facility f ON f.id = d.assigned_facility_id
    WHERE (CAST(:status AS text) IS NULL OR d.status = CAST(:status AS text))
      AND (CAST(:grid AS text) IS NULL OR g.code = CAST(:grid AS text))
      AND (CAST(:township AS text) IS NULL OR g.township_code = CAST(:township AS text))
      AND (CAST(:village AS text) IS NULL OR g.village_code = CAST(:village AS text))
      AND (CAST(:category AS text) IS NULL OR d.category = CAST(:category AS text))
      AND (CAST(:county AS text) IS NULL OR d.county_code = CAST(:county AS text))
      AND (CAST(:from AS timestamptz) IS NULL OR d.reported_at >= CAST(:from AS timestamptz))
      AND (CAST(:to AS timestamptz) IS NULL OR d.reported_at < CAST(:to AS timestamptz))
      AND (CAST(:overdue AS boolean) IS NULL
           OR CAST(:overdue AS boolean)
              = wangge_is_open_past_deadline(d.status, d.deadline, CAST(:now AS timestamptz)))
      AND (CAST(:needs_location AS boolean) IS NULL
           OR CAST(:needs_location AS boolean) = (d.grid_id IS NULL))
      AND wangge_in_scope(coalesce(g.code, d.location_admin_code), d.county_code, f.code,
                          CAST(:scope_area AS text), CAST(:scope_facility AS text))
),
page AS (
    SELECT * FROM hits ORDER BY reported_at DESC, id DESC LIMIT :limit OFFSET :offset
)
SELECT (SELECT count(*) FROM hits) AS matched,
       coalesce(json_agg(json_build_object(
           'type', 'Feature',
           'id', p.id,
           'geometry', ST_AsGeoJSON(p.geom, 6)::json,
           'properties', json_build_object(
               'id', p.id, 'external_id', p.external_id, 'category', p.category,
               'severity', p.severity, 'status', p.status, 'reported_at', p.reported_at,
               'deadline', p.deadline, 'resolved_at', p.resolved_at,
               'overdue',
               wangge_is_open_past_deadline(p.status, p.deadline, CAST(:now AS timestamptz)),
               'grid', p.grid_code, 'village', p.village_code, 'township', p.township_code,
               'geocode_level', p.geocode_level, 'geocode_score', p.geocode_score,
               'location_text', p.location_text, 'assignee', p.assignee,
               'duplicate_of', p.duplicate_of, 'satisfaction', p.satisfaction,
               'version', p.version, 'synthetic', p.synthetic,
               'location_status', CASE WHEN p.grid_id IS NULL OR p.location_check IS NOT NULL
                                       THEN '位置待核实' END,
               'location_unit', p.location_admin_code, 'location_check', p.location_check)
       ) ORDER BY p.reported_at DESC, p.id DESC), '[]'::json)::text AS features
FROM page p
