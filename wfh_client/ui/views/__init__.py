"""Item views of the UI."""
