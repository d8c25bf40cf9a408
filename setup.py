"""The client wheel's build steps that pyproject.toml cannot express.

- Packages: ``wfh_client`` and its subpackages except ``wfh_client.domain`` (shipped by the
  ``wfh-domain`` distribution, shared with the server), plus ``resources/`` as
  ``wfh_client.resources``.
- Left out of the wheel: ``wfh_client/demo.py`` (it seeds and runs the reference server) and
  ``wfh_client/memory_keyring.py`` (demo mode's in-memory keyring).
- ``wfh_client/_build.json``: the build facts (version, build id, commit, date, channel) that
  ``wfh_client.buildinfo`` reads. ``WFH_BUILD_CHANNEL=developer`` makes a developer build;
  editable installs (``make venv``) write nothing and so stay developer builds.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LEFT_OUT = {("wfh_client", "demo"), ("wfh_client", "memory_keyring")}


def build_facts(version: str) -> dict[str, str | None]:
    commit = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, check=True,
                                timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible builds set it
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return {
        "version": version,
        "build": os.environ.get("WFH_BUILD_ID") or when.strftime("%Y%m%d.%H%M"),
        "commit": commit,
        "built_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "channel": os.environ.get("WFH_BUILD_CHANNEL", "release"),
    }


class BuildPy(build_py):
    def find_package_modules(self, package, package_dir):  # type: ignore[no-untyped-def]
        return [m for m in super().find_package_modules(package, package_dir)
                if (m[0], m[1]) not in LEFT_OUT]

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # a source checkout is a developer build: no facts file
        target = Path(self.build_lib) / "wfh_client" / "_build.json"
        target.write_text(json.dumps(build_facts(self.distribution.get_version()), indent=2)
                          + "\n", encoding="utf-8")


RESOURCE_PACKAGES = ["wfh_client.resources"] + [
    f"wfh_client.resources.{d.name}" for d in sorted((ROOT / "resources").iterdir()) if d.is_dir()]

setup(
    packages=[*find_packages(include=["wfh_client", "wfh_client.*"],
                             exclude=["wfh_client.domain", "wfh_client.domain.*"]),
              *RESOURCE_PACKAGES],
    cmdclass={"build_py": BuildPy},
)
