"""The database itself: settings, engines and sessions, the embedded cluster, migrations, the
schema, bulk COPY, the SQL file loader and whole-database chores."""
