"""The reference one-stop-shop server (distribution ``onestop-server``, packaging/server)."""

__version__ = "0.1.0"
