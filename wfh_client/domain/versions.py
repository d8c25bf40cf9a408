"""Version numbers of the client, compared the same way by the server and the client.

``"0.10.2"`` > ``"0.9"``; a suffix after the numbers (``"0.2.0rc1"``, ``"1.0+build7"``) is
ignored for ordering. Used for the server's minimum and recommended client versions.
"""

from __future__ import annotations

import re

_NUMBERS = re.compile(r"^\s*(\d+(?:\.\d+)*)")


def version_key(version: str) -> tuple[int, ...]:
    """Comparable numbers of ``version``; raises ``ValueError`` if it starts with none."""
    match = _NUMBERS.match(version)
    if match is None:
        raise ValueError(f"not a version number: {version!r}")
    numbers = [int(n) for n in match.group(1).split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()  # 1.0.0 == 1.0 == 1
    return tuple(numbers)


def is_older(version: str, than: str | None) -> bool:
    """True if ``version`` is below ``than`` (False when ``than`` is None)."""
    return than is not None and version_key(version) < version_key(than)
