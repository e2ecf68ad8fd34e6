-- Current grid codes of one county → id.
SELECT code, id FROM grid WHERE county_code = CAST(:county AS text) AND valid_to IS NULL
