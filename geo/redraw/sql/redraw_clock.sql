-- The wall-clock instant (not the transaction start), so that grids opened earlier in the
-- same transaction still close after they opened.
SELECT clock_timestamp()
