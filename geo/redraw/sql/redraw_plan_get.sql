-- One redraw plan (locked for update when applying).
SELECT id, scope_code, status, params, base_fingerprint, proposal, metrics, created_by,
       created_at, reviewed_by, applied_at
FROM grid_plan
WHERE id = :plan
