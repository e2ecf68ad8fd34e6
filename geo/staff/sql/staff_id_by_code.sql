-- A staff member's id by code.
SELECT id FROM staff WHERE code = :code
