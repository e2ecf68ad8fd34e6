-- The handler asks for an extension (申请延期): kept as the case's pending request.
UPDATE dispute d
SET supervision = coalesce(d.supervision, '{}'::jsonb)
        || jsonb_build_object('extension_request', CAST(:request AS jsonb)),
    version = d.version + 1
WHERE d.id = :id AND d.version = :version
RETURNING d.version, d.status
