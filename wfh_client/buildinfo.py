"""What this build is: version, build id, commit, date and channel (release or developer).

A release build carries ``wfh_client/_build.json``, written by the packaging steps (the wheel's
``build_py`` in ``setup.py`` and ``installer/pyinstaller/build.sh``)::

    {"version": "0.1.0", "build": "20261203.1", "commit": "d9bc1b4", "built_at": "...",
     "channel": "release"}

Without that file the channel follows how the code runs: a frozen bundle (PyInstaller) is a
release build, a source checkout (``make venv``'s editable install) is a developer build. Only a
developer build honours developer switches such as ``WFH_CLIENT_POLICY`` (see
:mod:`wfh_client.policy`): an installed app on a managed PC never lets the user swap its policy.
An explicit developer bundle is built with ``WFH_BUILD_CHANNEL=developer``.

:func:`build_info` is what ``--version``, the About box, ``doctor`` and the support bundle show.
"""

from __future__ import annotations

import json
import logging
import platform
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from wfh_client import __version__

log = logging.getLogger(__name__)

BUILD_FILE = Path(__file__).with_name("_build.json")
Channel = Literal["release", "developer"]
CHANNELS: tuple[Channel, ...] = ("release", "developer")


@dataclass(frozen=True)
class BuildInfo:
    version: str
    build: str
    commit: str | None
    built_at: str | None
    channel: Channel
    frozen: bool
    python: str
    platform: str

    @property
    def developer(self) -> bool:
        return self.channel == "developer"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "developer": self.developer}

    def version_line(self, program: str) -> str:
        """``wfh-client 0.1.0 (build 20261203.1, d9bc1b4, release)`` for ``--version``."""
        extra = ", ".join(x for x in (f"build {self.build}", self.commit, self.channel) if x)
        return f"{program} {self.version} ({extra})"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def read_build_file(path: Path = BUILD_FILE) -> dict[str, Any]:
    """The packaging step's facts, or ``{}`` (a source checkout); a broken file is logged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable build facts %s: %s", path, exc)
        return {"channel": "release"}  # a damaged release build must not become a developer one
    return data if isinstance(data, dict) else {"channel": "release"}


def make_build_info(facts: dict[str, Any], *, frozen: bool) -> BuildInfo:
    declared = facts.get("channel")
    channel: Channel
    if declared in CHANNELS:
        channel = "developer" if declared == "developer" else "release"
    else:  # no facts: a frozen bundle is a release, a source checkout a developer build
        channel = "release" if facts or frozen else "developer"
    return BuildInfo(
        version=str(facts.get("version") or __version__),
        build=str(facts.get("build") or ("source" if channel == "developer" else "unknown")),
        commit=facts.get("commit") or None,
        built_at=facts.get("built_at") or None,
        channel=channel,
        frozen=frozen,
        python=platform.python_version(),
        platform=f"{platform.system()} {platform.release()} {platform.machine()}".strip(),
    )


@lru_cache(maxsize=1)
def build_info() -> BuildInfo:
    return make_build_info(read_build_file(), frozen=is_frozen())
