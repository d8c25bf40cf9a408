"""Render the app's windows with realistic Vietnamese data into ``docs/screenshots/`` (vi, en).

Runs offscreen with a throw-away encrypted cache (random key, no keyring) and a fixed clock so
the pictures are reproducible::

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m wfh_client.ui.screenshots [--out DIR] [--only NAME]

Every picture is one entry of :data:`SHOTS`, a list of ``(name, builder)``; a builder takes a
:class:`ShotContext` (application, cache, language, output folder, fixed clock, a ready main
window) and saves one or more PNGs with :meth:`ShotContext.save`. Screens add theirs with::

    @register("dossier_detail")
    def _detail(shot: ShotContext) -> None:
        shot.save(build_my_widget(shot.shell.ctx), "dossier_detail")

Modules that register shots are listed in :data:`SHOT_MODULES` (imported lazily, skipped with
a warning while they do not exist yet).
"""

from __future__ import annotations

import argparse
import importlib
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.events import EventBus
from wfh_client.store import Cache, account_paths
from wfh_client.store.dossiers import set_local_state
from wfh_client.store.outbox import record_conflict
from wfh_client.store.state import KEY_LAST_SUCCESS_AT, set_state
from wfh_client.ui.app import ClientApp, create_application
from wfh_client.ui.i18n import set_language
from wfh_client.ui.sample_data import fill_cache, sample_dossiers

__all__ = ["NOW", "SHOTS", "ShotContext", "main", "register"]

NOW = datetime(2026, 4, 14, 2, 30, tzinfo=UTC)  # Tuesday 09:30 in Hà Nội
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# modules whose import registers more shots (dossier detail, action dialogs, slips, login...)
SHOT_MODULES = ["wfh_client.ui.shots_shell", "wfh_client.ui.detail.shots",
               "wfh_client.ui.oncall.shots",
               "wfh_client.ui.head.shots"]  # the department head's workspace


@dataclass
class ShotContext:
    app: QApplication
    cache: Cache
    language: str
    out: Path
    shell: ClientApp
    now: datetime = NOW
    docs: list[dict[str, Any]] = field(default_factory=list)
    saved: list[Path] = field(default_factory=list)

    def wait(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Process events until ``condition()`` holds (or the timeout passes)."""
        deadline = time.monotonic() + timeout
        while not condition():
            self.app.processEvents()
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def settle(self) -> None:
        for _ in range(5):
            self.app.processEvents()
            time.sleep(0.01)

    def save(self, widget: QWidget, name: str) -> Path:
        """Grab ``widget`` into ``<out>/<name>_<language>.png``."""
        self.settle()
        path = self.out / f"{name}_{self.language}.png"
        widget.grab().save(str(path))
        self.saved.append(path)
        return path


ShotBuilder = Callable[[ShotContext], None]
SHOTS: list[tuple[str, ShotBuilder]] = []


def register(name: str) -> Callable[[ShotBuilder], ShotBuilder]:
    """Decorator: add ``builder`` to :data:`SHOTS` under ``name`` (a later one replaces it)."""
    def deco(builder: ShotBuilder) -> ShotBuilder:
        SHOTS[:] = [s for s in SHOTS if s[0] != name]
        SHOTS.append((name, builder))
        return builder
    return deco


def _prepare_cache(root: Path) -> tuple[Cache, list[dict[str, Any]]]:
    cache = Cache(account_paths("screenshots", root), key=secrets.token_bytes(32))
    calendar = WorkingCalendar()
    docs = list(sample_dossiers(1200, calendar=calendar, now=NOW, seed=2026))
    fill_cache(cache, docs)
    by_due = sorted(docs, key=lambda d: d["due_at"])
    cache.writer.run(lambda db: set_local_state(db, by_due[3]["id"], "pending"))
    cache.writer.run(lambda db: set_local_state(db, by_due[6]["id"], "pending"))
    cache.writer.run(lambda db: record_conflict(db, by_due[8]["id"], None, {}, {}))
    cache.writer.run(lambda db: set_state(db, KEY_LAST_SUCCESS_AT, "2026-04-14T02:12:00Z"))
    return cache, docs


@register("main_window")
def _main_window(shot: ShotContext) -> None:
    window = shot.shell.window
    window.list_view.selectRow(2)
    shot.save(window, "main_window")
    window.filter_bar.search.setText("dang ky dat dai")
    window.filter_bar.flush()
    shot.save(window, "main_window_search")
    window.filter_bar.clear()


def _load_shot_modules() -> None:
    for name in SHOT_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
            print(f"(skipping {name}: not there yet)")


def render(cache: Cache, docs: list[dict[str, Any]], language: str, out: Path,
           only: set[str] | None = None) -> list[Path]:
    """Run every registered shot in ``language``; returns the files written."""
    app = create_application([], language=language)
    set_language(language)
    shell = ClientApp(cache=cache, bus=EventBus(), calendar=WorkingCalendar(),
                      clock=lambda: NOW, tray_available=False)
    window = shell.window
    window.resize(1366, 720)
    shell.show()
    shot = ShotContext(app, cache, language, out, shell, docs=docs)
    shot.wait(lambda: window.status.counts is not None)
    try:
        for name, builder in list(SHOTS):
            if only and name not in only:
                continue
            builder(shot)
            window.bring_to_front()
            shot.settle()
    finally:
        shell.shutdown()
        window.allow_quit()
        window.close()
        window.deleteLater()
        app.processEvents()
    return shot.saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", action="append", help="render only this shot (repeatable)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.out.mkdir(parents=True, exist_ok=True)
    create_application([])
    _load_shot_modules()
    with tempfile.TemporaryDirectory() as tmp:
        cache, docs = _prepare_cache(Path(tmp))
        try:
            for language in ("vi", "en"):
                for path in render(cache, docs, language, args.out, set(args.only or ())):
                    print(path)
        finally:
            cache.close()
    return 0


if __name__ == "__main__":
    # Run the imported module's main: shot modules register into ``wfh_client.ui.screenshots``,
    # not into this ``__main__`` copy of it.
    from wfh_client.ui.screenshots import main as _main

    raise SystemExit(_main())
