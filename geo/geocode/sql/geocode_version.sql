-- A cheap fingerprint of what the gazetteer is built from: it changes when addresses,
-- admin units, centres or alias rows are added or removed (edits in place that keep counts
-- and ids are not seen: reload explicitly after such bulk edits).
SELECT (SELECT count(*) FROM address) AS addresses,
       (SELECT coalesce(max(id), 0) FROM address) AS max_address_id,
       (SELECT count(*) FROM admin_unit) AS admin_units,
       (SELECT count(*) FROM facility) AS facilities,
       (SELECT coalesce(max(id), 0) FROM facility) AS max_facility_id,
       (SELECT count(*) FROM geocode_alias) AS aliases,
       (SELECT coalesce(max(id), 0) FROM geocode_alias) AS max_alias_id
