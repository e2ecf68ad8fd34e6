-- Which of the given codes name an admin unit or a standard address (alias table checks).
SELECT code, 'unit' AS kind FROM admin_unit WHERE code = ANY(CAST(:codes AS text[]))
UNION ALL
SELECT code, 'address' AS kind FROM address WHERE code = ANY(CAST(:codes AS text[]))
