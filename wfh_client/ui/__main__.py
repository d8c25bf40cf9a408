"""``python -m wfh_client.ui``: the desktop client (same as ``wfh-client-gui``)."""

import sys

from wfh_client.ui.app import main

sys.exit(main())
