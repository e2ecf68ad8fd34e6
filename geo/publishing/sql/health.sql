-- What the health endpoint reports about the database.
SELECT
    postgis_lib_version() AS postgis,
    current_setting('server_version') AS postgres,
    (SELECT count(*) FROM admin_unit) AS admin_units,
    (SELECT count(*) FROM grid WHERE valid_to IS NULL) AS grids,
    (SELECT count(*) FROM address) AS addresses,
    (SELECT count(*) FROM dispute) AS disputes,
    (SELECT count(*) FROM signal) AS signals
