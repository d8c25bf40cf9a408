"""The one bridge between the core's plain-Python events and the GUI thread (Electrum style).

The core publishes ``bus.publish("sync.progress", done=3, total=10)`` from any thread. The
:class:`EventBridge` subscribes to every event (``"*"``) and re-emits it through ONE Qt signal;
the bridge lives in the GUI thread, so the queued connection delivers it there. UI objects
declare handlers named after the event (dots become underscores)::

    class StatusBar(QStatusBar):
        def on_event_sync_progress(self, done: int, total: int, phase: str) -> None: ...

    bridge.register(status_bar)

Handlers of a ``QWidget`` that is hidden when the event arrives are not called at once: the
event is queued on the widget and replayed when it is next shown (a ``Show`` event filter), so
hidden views do not refresh for nothing. Mark a handler with :func:`immediate` to run it even
while hidden (tray, auth revocation). Registered objects are held weakly and dropped when Qt
destroys them. :meth:`EventBridge.register` raises ``UnknownEvent`` for a handler whose name
matches no :class:`wfh_client.events.Event` (``on_event_dossier_changed`` would never fire).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from wfh_client.events import Event, EventBus, UnknownEvent

log = logging.getLogger(__name__)

__all__ = ["EventBridge", "handler_name", "immediate"]

F = TypeVar("F", bound=Callable[..., Any])
_PREFIX = "on_event_"
_MAX_DEFERRED = 200  # per widget; beyond this the oldest deferred events are dropped


def handler_name(event: str) -> str:
    """``"sync.progress"`` -> ``"on_event_sync_progress"``."""
    return _PREFIX + event.replace(".", "_").replace("-", "_")


_KNOWN_HANDLERS = frozenset(_PREFIX + e.value.replace(".", "_").replace("-", "_")
                            for e in Event)


def immediate(fn: F) -> F:
    """Run this handler even while its widget is hidden."""
    fn.__wfh_immediate__ = True  # type: ignore[attr-defined]
    return fn


class EventBridge(QObject):
    """Subscribes to ``bus`` and dispatches every event on the GUI thread."""

    # (event name, payload dict) - emitted on the GUI thread for every core event.
    delivered = Signal(str, object)
    _incoming = Signal(str, object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bus = bus
        self._targets: dict[str, list[weakref.ref[Any]]] = defaultdict(list)
        self._deferred: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        self._gui_thread = threading.get_ident()
        self._incoming.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe("*", self._on_core_event)

    # ---------------------------------------------------------------- core side (any thread)
    def _on_core_event(self, name: str, **payload: Any) -> None:
        if shiboken6.isValid(self):
            self._incoming.emit(name, payload)

    # ----------------------------------------------------------------------- registration
    def register(self, obj: QObject) -> None:
        """Connect every ``on_event_<name>`` method of ``obj`` (call from the GUI thread)."""
        names = [n for n in dir(type(obj)) if n.startswith(_PREFIX)]
        unknown = [n for n in names if n not in _KNOWN_HANDLERS]
        if unknown:
            raise UnknownEvent(f"{type(obj).__name__} handles no known event with "
                               f"{', '.join(unknown)}: see wfh_client.events.Event")
        ref = weakref.ref(obj)
        for name in names:
            self._targets[name].append(ref)
        if isinstance(obj, QWidget):
            obj.installEventFilter(self)
        obj.destroyed.connect(lambda *_a, key=id(obj): self._deferred.pop(key, None))

    def unregister(self, obj: QObject) -> None:
        for refs in self._targets.values():
            refs[:] = [r for r in refs if r() is not None and r() is not obj]
        self._deferred.pop(id(obj), None)
        if shiboken6.isValid(obj) and isinstance(obj, QWidget):
            obj.removeEventFilter(self)

    def close(self) -> None:
        """Stop listening to the bus (at exit)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    # --------------------------------------------------------------------- GUI-thread side
    @Slot(str, object)
    def _dispatch(self, name: str, payload: dict[str, Any]) -> None:
        self.delivered.emit(name, payload)
        method = handler_name(name)
        refs = self._targets.get(method)
        if not refs:
            return
        alive = []
        for ref in list(refs):
            obj = ref()
            if obj is None or not shiboken6.isValid(obj):
                continue
            alive.append(ref)
            self._deliver(obj, method, name, payload)
        refs[:] = alive

    def _deliver(self, obj: Any, method: str, name: str, payload: dict[str, Any]) -> None:
        handler = getattr(obj, method)
        if (isinstance(obj, QWidget) and not obj.isVisible()
                and not getattr(handler, "__wfh_immediate__", False)):
            queue = self._deferred.setdefault(id(obj), [])
            queue.append((name, payload))
            del queue[:-_MAX_DEFERRED]
            return
        try:
            handler(**payload)
        except Exception:  # noqa: BLE001 - one broken view must not stop the others
            log.exception("UI handler %s.%s failed", type(obj).__name__, method)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Show:
            pending = self._deferred.pop(id(watched), None)
            for name, payload in pending or ():
                self._deliver(watched, handler_name(name), name, payload)
        return False

    def deferred_count(self, obj: QObject) -> int:
        """How many events wait for ``obj`` to be shown (for tests and diagnostics)."""
        return len(self._deferred.get(id(obj), ()))
