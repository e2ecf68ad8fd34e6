"""geo.database."""
