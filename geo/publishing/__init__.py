"""geo.publishing."""
