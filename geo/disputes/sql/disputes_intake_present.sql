-- Which of the given external ids are stored already (skipped before geocoding; the insert's
-- ON CONFLICT still guards against a concurrent intake of the same record).
SELECT external_id FROM dispute WHERE external_id = ANY(CAST(:ids AS text[]))
