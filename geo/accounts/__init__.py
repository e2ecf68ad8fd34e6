"""geo.accounts."""
