-- A session-local staging table for one batch of signals (emptied before each batch).
CREATE TEMP TABLE IF NOT EXISTS intake_signal (
    row_number integer,
    external_id text,
    source text,
    county_code text,
    kind text,
    observed_at timestamptz,
    weight double precision,
    location_text text,
    description text,
    geocode_level text,
    grid_id bigint,
    synthetic boolean,
    lon double precision,
    lat double precision
) ON COMMIT DELETE ROWS
