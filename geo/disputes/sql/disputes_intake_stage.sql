-- A session-local staging table for one intake batch (emptied before each batch).
CREATE TEMP TABLE IF NOT EXISTS intake_dispute (
    row_number integer,
    external_id text,
    source text,
    county_code text,
    category text,
    severity text,
    reported_at timestamptz,
    location_text text,
    description text,
    geocode_level text,
    geocode_score double precision,
    address_id bigint,
    grid_id bigint,
    deadline timestamptz,
    synthetic boolean,
    lon double precision,
    lat double precision,
    location_admin_code text,
    location_check text
) ON COMMIT DELETE ROWS
