"""Where the app's resources (translations, icons, sounds) are, in every kind of install.

- wheel / installed package: ``wfh_client/resources/`` (the wheel maps the repository's
  ``resources/`` there, see ``pyproject.toml``);
- PyInstaller bundle: the same relative place under ``sys._MEIPASS`` (the spec puts them there);
- source checkout: ``<repository>/resources``.

``WFH_CLIENT_RESOURCES`` overrides all of them (a developer trying new icons).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_RESOURCES = "WFH_CLIENT_RESOURCES"
PACKAGED = Path(__file__).resolve().parent / "resources"
SOURCE_TREE = Path(__file__).resolve().parent.parent / "resources"


def resources_dir() -> Path:
    override = os.environ.get(ENV_RESOURCES)
    if override:
        return Path(override)
    return PACKAGED if PACKAGED.is_dir() else SOURCE_TREE
