-- Counties that have boundaries, by code (the default county of a map page is the first).
SELECT code, name FROM admin_unit WHERE level = 'county' ORDER BY code
