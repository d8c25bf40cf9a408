"""Qt item models of the UI (lazy, SQL-backed)."""
