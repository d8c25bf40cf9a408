"""Print the project's requirements without Qt, for the headless core test venv.

The core (domain, store, sync, oncall) must work without PySide6 installed (STYLE.md, napari):
``make test-headless`` installs these and runs the non-UI tests.
"""

import tomllib
from pathlib import Path

project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
extras = project["optional-dependencies"]
for req in [*project["dependencies"], *extras["server"], *extras["dev"]]:
    name = req.split(";")[0].strip().lower()
    if name.startswith(("pyside6", "pytest-qt", "wfh-client")):
        continue
    print(req)
