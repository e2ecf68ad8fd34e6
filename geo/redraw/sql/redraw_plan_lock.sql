-- Lock a redraw plan row for the length of the transaction.
SELECT id FROM grid_plan WHERE id = :plan FOR UPDATE
