-- Villages inside a redraw scope (a village, township or county code) with their outlines.
SELECT v.code, v.short_name, v.parent_code AS township_code, v.county_code,
       ST_AsBinary(v.geom) AS wkb
FROM admin_unit v
WHERE v.level = 'village'
  AND v.geom IS NOT NULL
  AND (v.code = :scope OR v.parent_code = :scope OR v.county_code = :scope)
ORDER BY v.code
