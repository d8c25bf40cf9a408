"""``python -m wfh_client``: the headless command line (see ``wfh_client.cli``)."""

import sys

from wfh_client.cli import main

if __name__ == "__main__":
    sys.exit(main())
