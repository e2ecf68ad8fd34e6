-- The admin units one level down (townships of a county, villages of a township), by code.
SELECT code FROM admin_unit
WHERE parent_code = CAST(:unit AS text) AND level = CAST(:level AS text)
ORDER BY code
