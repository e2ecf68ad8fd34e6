-- One dispute as a GeoJSON Feature with its history and supervision (no party details).
SELECT json_build_object(
    'type', 'Feature',
    'id', d.id,
    'geometry', ST_AsGeoJSON(d.geom, 6)::json,
    'properties', json_build_object(
        'id', d.id, 'external_id', d.external_id, 'source', d.source,
        'county_code', d.county_code, 'category', d.category, 'severity', d.severity,
        'status', d.status, 'version', d.version, 'reported_at', d.reported_at,
        'deadline', d.deadline, 'resolved_at', d.resolved_at,
        'overdue', wangge_is_open_past_deadline(d.status, d.deadline, CAST(:now AS timestamptz)),
        'location_text', d.location_text, 'description', d.description,
        'geocode_level', d.geocode_level, 'geocode_score', d.geocode_score,
        'address', a.code, 'grid', g.code, 'village', g.village_code,
        'township', g.township_code, 'assignee', d.assignee, 'facility', f.code,
        'satisfaction', d.satisfaction, 'supervision', d.supervision,
        'duplicate_of', d.duplicate_of, 'synthetic', d.synthetic,
        'location_status', CASE WHEN d.grid_id IS NULL OR d.location_check IS NOT NULL
                                THEN '位置待核实' END,
        'location_unit', d.location_admin_code, 'location_check', d.location_check,
        'events', (SELECT coalesce(json_agg(json_build_object(
                       'id', e.id, 'at', e.at, 'actor', e.actor, 'action', e.action,
                       'from', e.from_status, 'to', e.to_status, 'note', e.note)
                       ORDER BY e.at, e.id), '[]'::json)
                   FROM dispute_event e WHERE e.dispute_id = d.id))
)::text
FROM dispute d
LEFT JOIN grid g ON g.id = d.grid_id
LEFT JOIN address a ON a.id = d.address_id
LEFT JOIN facility f ON f.id = d.assigned_facility_id
WHERE d.id = :id
