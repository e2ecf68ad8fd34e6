-- Which of the given external ids are stored already (see disputes_intake_present.sql).
SELECT external_id FROM signal WHERE external_id = ANY(CAST(:ids AS text[]))
