-- How many rows a county already has in the base layers.
SELECT
    (SELECT count(*) FROM admin_unit WHERE county_code = :county) AS admin_units,
    (SELECT count(*) FROM grid WHERE county_code = :county) AS grids,
    (SELECT count(*) FROM address WHERE county_code = :county) AS addresses
