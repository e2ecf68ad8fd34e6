-- Facility ids of the given centre codes.
SELECT id FROM facility WHERE code = ANY(CAST(:codes AS text[]))
