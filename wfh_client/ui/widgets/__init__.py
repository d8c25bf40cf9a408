"""Reusable widgets of the main window (filter bar, status bar)."""
