"""The packaging checks run on what ``make package`` (installer/build.sh) built.

``WFH_PACKAGES_DIR`` (default ``build/packages``) holds the wheels, the PyInstaller bundle, the
.deb and the MSI. ``make package-check`` builds them first; running these tests without them
is an error that says so, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def packages() -> Path:
    folder = Path(os.environ.get("WFH_PACKAGES_DIR") or ROOT / "build" / "packages")
    if not (folder / "build-facts.json").is_file():
        pytest.fail(f"no packages in {folder}: run `make package` (installer/build.sh) first")
    return folder.resolve()


@pytest.fixture(scope="session")
def bundle(packages: Path) -> Path:
    return packages / "bundle" / "wfh-client"


@pytest.fixture(scope="session")
def deb(packages: Path) -> Path:
    found = sorted(packages.glob("wfh-client_*_amd64.deb"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="session")
def msi(packages: Path) -> Path:
    found = sorted(packages.glob("wfh-client-*-x64.msi"))
    assert len(found) == 1, found
    return found[0]
