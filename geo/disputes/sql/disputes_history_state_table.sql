-- The final states of a replayed history, COPYed here and applied by disputes_history_apply.
CREATE TEMP TABLE history_state (
    id bigint, status text, version int, resolved_at timestamptz, satisfaction smallint,
    assignee text, facility_id bigint, assignee_unit text, routed_by text, rating_source text
) ON COMMIT DROP
