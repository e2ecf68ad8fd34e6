-- Names of admin units and current grids by code (for the report's row labels).
SELECT code, name, short_name FROM admin_unit WHERE code = ANY(CAST(:codes AS text[]))
UNION ALL
SELECT code, name, name FROM grid WHERE valid_to IS NULL AND code = ANY(CAST(:codes AS text[]))
