"""One module per schema revision; ``onestop_server.migrate.HEAD`` names the newest."""
