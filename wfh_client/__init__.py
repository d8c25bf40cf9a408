"""Work-from-home desktop client for one-stop-shop civil servants.

Layers (imports point downwards only, enforced by import-linter):
ui -> sync | oncall -> store -> domain. See docs/architecture.md.
"""

__version__ = "0.1.0"
