-- The village or township a case without a certain grid is routed to (位置待核实), with its
-- 综治中心: the village_centre / township_centre whose jurisdiction is that unit.
SELECT u.code, u.name, u.short_name, u.level, u.parent_code,
       c.code AS centre_code, c.name AS centre_name, c.kind AS centre_kind,
       ST_X(c.geom) AS centre_lon, ST_Y(c.geom) AS centre_lat
FROM admin_unit u
LEFT JOIN LATERAL (
    SELECT f.code, f.name, f.kind, f.geom
    FROM facility f
    WHERE f.admin_code = u.code
      AND f.kind = CASE u.level WHEN 'village' THEN 'village_centre' ELSE 'township_centre' END
    ORDER BY f.code COLLATE "C"
    LIMIT 1
) c ON true
WHERE u.code = :code
