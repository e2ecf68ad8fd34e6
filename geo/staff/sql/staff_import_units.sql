-- Admin units of one county (a staff member's unit is one of them).
SELECT code, name, short_name FROM admin_unit WHERE county_code = CAST(:county AS text)
