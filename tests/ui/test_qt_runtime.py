"""Guards against Qt binding bugs that would crash the app far from their cause."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

# Values received by the slot stay here for the life of the process: if the binding hands out
# borrowed references, dropping them would deallocate True and abort the interpreter.
_KEPT: list[bool] = []


class _Emitter(QObject):
    flag = Signal(bool)


def test_bool_signal_arguments_are_owned_references(qapp: object) -> None:
    emitter = _Emitter()
    emitter.flag.connect(_KEPT.append)
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.flag.emit(True)
    assert len(_KEPT) == 50
    # Each kept value must hold its own reference (PySide6 6.12.0 does not: see pyproject).
    assert sys.getrefcount(True) - before >= 50
