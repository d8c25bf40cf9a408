"""Frozen entry point of ``wfh-client`` (console): the headless command line."""

import sys

from wfh_client.cli import main

if __name__ == "__main__":
    sys.exit(main())
