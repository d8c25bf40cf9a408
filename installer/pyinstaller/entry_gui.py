"""Frozen entry point of ``wfh-client-gui`` (windowed): the desktop app."""

import sys

from wfh_client.gui_main import main

if __name__ == "__main__":
    sys.exit(main())
