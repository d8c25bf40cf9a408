"""Alembic migrations of the reference server's schema (run through ``onestop_server.migrate``)."""
