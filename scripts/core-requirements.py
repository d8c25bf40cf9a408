"""Print the third-party requirements of this tree's distributions, for the dev venvs.

The repository builds three distributions (``pyproject.toml``: the client ``wfh-client``;
``packaging/domain``: ``wfh-domain``, the shared rules; ``packaging/server``:
``onestop-server``). A developer venv installs their third-party requirements from this list
and then the client and the server editable with ``--no-deps``: the shared rules are then
imported from the source tree through the client's editable install (an editable
``wfh-domain`` would make ``wfh_client`` a namespace package and shadow it).

``--with-qt`` keeps PySide6 and pytest-qt (``make venv``); without it they are left out for the
headless core venv (``make test-headless``): the core must work without PySide6 (STYLE.md).
"""

import sys
import tomllib
from pathlib import Path

OWN = ("wfh-client", "wfh-domain", "onestop-server")
QT = ("pyside6", "pytest-qt")
PROJECTS = ("pyproject.toml", "packaging/domain/pyproject.toml", "packaging/server/pyproject.toml")

with_qt = "--with-qt" in sys.argv[1:]
seen: set[str] = set()
for path in PROJECTS:
    project = tomllib.loads(Path(path).read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    for req in [*project.get("dependencies", []), *extras.get("dev", [])]:
        name = req.split(";")[0].strip().lower()
        if name.startswith(OWN) or (not with_qt and name.startswith(QT)) or req in seen:
            continue
        seen.add(req)
        print(req)
