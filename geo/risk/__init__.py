"""geo.risk."""
