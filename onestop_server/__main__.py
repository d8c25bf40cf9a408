"""``python -m onestop_server`` = the ``onestop-server`` console script (see ``cli``)."""

from __future__ import annotations

import sys

from onestop_server.cli import main

if __name__ == "__main__":
    sys.exit(main())
