-- Whether a county's grids are synthetic (the demo), so that the safety table says so.
SELECT bool_or(synthetic) FROM grid WHERE county_code = CAST(:county AS text) AND valid_to IS NULL
