-- Store a redraw proposal.
INSERT INTO grid_plan (scope_code, status, params, base_fingerprint, proposal, metrics, created_by)
VALUES (:scope, 'proposed', CAST(:params AS jsonb), :fingerprint, CAST(:proposal AS jsonb),
        CAST(:metrics AS jsonb), :created_by)
RETURNING id
