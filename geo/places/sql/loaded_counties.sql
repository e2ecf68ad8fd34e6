-- The counties loaded (those with an admin-unit row), by code.
SELECT code, name FROM admin_unit WHERE level = 'county' ORDER BY code
