"""The one way the UI runs work a user is waiting for (Anki's ``QueryOp`` / ``CollectionOp``).

::

    Op(self, lambda: queue_result_upload(engine, dossier_id, path)) \\
        .success(lambda entry: self.attached.emit(entry)) \\
        .run()

- the work runs off the GUI thread (the worker pool, or the cache's single writer with
  :meth:`Op.in_writer`, where it gets the connection);
- :meth:`Op.success` / :meth:`Op.failure` run on the GUI thread, and only while the parent
  widget still exists;
- **errors** are shown by default in plain words (:func:`~wfh_client.ui.messages.
  describe_error`), never ``str(exc)``: through the parent's ``show_error(text)`` when it has
  one (a dialog's error line), else a message box on its window; a ``failure`` handler gets the
  exception and those words;
- **progress and cancellation**: :meth:`Op.with_progress` shows a progress dialog after
  :data:`PROGRESS_DELAY_MS` (quick work shows nothing) with a Cancel button; the work, when it
  takes an :class:`OpControl`, reads ``control.cancelled`` and reports ``control.progress(done,
  total)``.

Every screen that waits for work and shows its failure uses ``Op``: the action and assign
dialogs, documents (download, open, attach), notes, the dossier window's read, the head's pages
and reports (load, export), the team view, rejected changes, sign-in, check-in and recall
answers. :func:`wfh_client.ui.ops.run_in_background` stays the pool primitive underneath, used
directly only for reads no one waits on whose failure is only logged (counts, sorting, alerts,
the board's figures), for the sync controller (its failures are the connection state in the
status bar) and for the launcher's start-up.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from wfh_client.store import Cache
from wfh_client.ui.messages import describe_error
from wfh_client.ui.ops import run_in_background, run_in_db_writer, run_on_gui

log = logging.getLogger(__name__)

__all__ = ["PROGRESS_DELAY_MS", "Op", "OpControl", "show_failure"]

T = TypeVar("T")
PROGRESS_DELAY_MS = 400


class OpControl:
    """Given to work that wants it: cancellation and progress (thread-safe)."""

    def __init__(self) -> None:
        self.cancelled = threading.Event()
        self._listener: Callable[[int, int], None] | None = None

    def progress(self, done: int, total: int) -> None:
        listener = self._listener
        if listener is not None:
            run_on_gui(lambda: listener(done, total))


def show_failure(parent: QObject | None, exc: BaseException | None, title: str = "") -> str:
    """Say what went wrong in plain words, where the user looks (see the module docstring)."""
    text = describe_error(exc)
    show = getattr(parent, "show_error", None)
    if callable(show):
        show(text)
    else:
        widget = parent if isinstance(parent, QWidget) else None
        QMessageBox.warning(widget.window() if widget is not None else None,
                            title or QCoreApplication.translate("Operation", "Error"), text)
    return text


class Op(Generic[T]):
    """See the module docstring."""

    def __init__(self, parent: QObject, work: Callable[..., T]) -> None:
        self.parent = parent
        self.work = work
        self.control = OpControl()
        self.future: Future[Any] | None = None
        self._writer: Cache | None = None
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException, str], None] | None = None
        self._progress_label: str | None = None
        self._dialog: QProgressDialog | None = None
        self._timer: QTimer | None = None

    # ------------------------------------------------------------------ building
    def in_writer(self, cache: Cache) -> Op[T]:
        """Run ``work(db)`` in one transaction on the cache's single writer."""
        self._writer = cache
        return self

    def success(self, fn: Callable[[T], None]) -> Op[T]:
        self._on_success = fn
        return self

    def failure(self, fn: Callable[[BaseException, str], None]) -> Op[T]:
        """Instead of the default display: ``fn(exc, plain words)``."""
        self._on_failure = fn
        return self

    def with_progress(self, label: str) -> Op[T]:
        """A progress dialog with Cancel if the work lasts (see the module docstring)."""
        self._progress_label = label
        return self

    # ------------------------------------------------------------------ running
    def run(self) -> Op[T]:
        control = self.control
        takes_control = _takes_control(self.work)
        if self._writer is not None:
            work = self.work
            self.future = run_in_db_writer(
                self._writer, (lambda db: work(db, control)) if takes_control else work,
                self._succeeded, self._failed, guard=self.parent)
        else:
            work = self.work
            self.future = run_in_background(
                (lambda: work(control)) if takes_control else work,
                self._succeeded, self._failed, guard=self.parent)
        if self._progress_label is not None:
            self._timer = QTimer(self.parent)
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._show_progress)
            self._timer.start(PROGRESS_DELAY_MS)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next check (what is done stays done)."""
        self.control.cancelled.set()
        if self.future is not None and self.future.cancel():
            self._finish()  # it never started: no result will come back

    @property
    def running(self) -> bool:
        return self.future is not None and not self.future.done()

    # ------------------------------------------------------------------ internals
    def _show_progress(self) -> None:
        if not self.running or not shiboken6.isValid(self.parent):
            return
        parent = self.parent if isinstance(self.parent, QWidget) else None
        dialog = QProgressDialog(self._progress_label or "",
                                 QCoreApplication.translate("Operation", "Cancel"), 0, 0,
                                 parent)
        dialog.setObjectName("operationProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel)

        def report(done: int, total: int) -> None:
            if shiboken6.isValid(dialog):
                dialog.setRange(0, max(total, 1))
                dialog.setValue(min(done, total))

        self.control._listener = report
        dialog.show()
        self._dialog = dialog

    def _finish(self) -> None:
        self.control._listener = None
        if self._timer is not None:
            self._timer.stop()
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.reset()
            self._dialog.deleteLater()
        self._dialog = None

    def _succeeded(self, result: T) -> None:
        self._finish()
        if self._on_success is not None:
            self._on_success(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if not isinstance(exc, InterruptedError):  # cancelled on purpose: nothing to report
            log.info("operation failed: %s", type(exc).__name__, exc_info=exc)
        if self._on_failure is not None:
            self._on_failure(exc, describe_error(exc))
        elif not isinstance(exc, InterruptedError):
            show_failure(self.parent, exc)


def _takes_control(work: Callable[..., Any]) -> bool:
    """Whether ``work``'s last parameter is annotated :class:`OpControl` (or named control)."""
    try:
        params = list(inspect.signature(work).parameters.values())
    except (TypeError, ValueError):
        return False
    return bool(params) and (params[-1].name == "control"
                             or params[-1].annotation in (OpControl, "OpControl"))
