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
    assert _KEPT[-50:] == [True] * 50
    if sys.version_info >= (3, 12):
        # True is immortal (PEP 683): its count never moves, so a borrowed reference cannot
        # free it; that is why the PySide6 pin applies to Python 3.11 only (pyproject).
        assert sys.getrefcount(True) == before
    else:
        # Each kept value must hold its own reference (PySide6 6.12.0 does not: see pyproject).
        assert sys.getrefcount(True) - before >= 50


def test_cycles_are_collected_on_the_gui_thread_only(qapp: object) -> None:
    import gc
    import threading
    import weakref

    from wfh_client.ui.gc_guard import GuiGarbageCollector

    assert not gc.isenabled()  # a worker thread can never trigger a collection
    collector = GuiGarbageCollector()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # type: ignore[attr-defined]
    probe = weakref.ref(a)
    collected_in: list[str] = []
    weakref.finalize(a, lambda: collected_in.append(threading.current_thread().name))
    del a, b
    # Live allocations push generation 0 past its threshold: a worker thread allocating
    # like this would have triggered a collection; with the guard nothing happens...
    keep = [Node() for _ in range(gc.get_threshold()[0] + 10)]
    assert probe() is not None
    # ...until the GUI thread's timer checks.
    assert collector.check() >= 0
    assert probe() is None and collected_in == [threading.current_thread().name]
    assert threading.current_thread() is threading.main_thread()
    del keep
    collector.deleteLater()
