"""The recall alert's sound: ``resources/sounds/recall.wav`` played again and again until answered.

PySide6-Essentials has no QtMultimedia, so the platform's own player plays the file, never
blocking the GUI thread:

- ``WFH_CLIENT_SOUND_PLAYER`` (a command line; the file's path is appended) wins everywhere -
  IT can pick a player, and the tests record each invocation with a tiny script;
- Windows: ``winsound.PlaySound(path, SND_FILENAME | SND_ASYNC)``;
- macOS: ``afplay``; Linux/BSD: the first of ``paplay``, ``pw-play``, ``aplay`` on the PATH;
- nothing found: ``QApplication.beep()``.

:class:`AlertSound` starts one play every :data:`REPEAT_MS` (a play still running is not
doubled) and :meth:`AlertSound.stop` ends the repetition and the player process it started.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from wfh_client.ui.i18n import RESOURCES_DIR

log = logging.getLogger(__name__)

__all__ = ["REPEAT_MS", "SOUND_FILE", "AlertSound", "player_command"]

SOUND_FILE = RESOURCES_DIR / "sounds" / "recall.wav"
REPEAT_MS = 4000  # the file lasts 1.5 s: a short pause, then again
ENV_PLAYER = "WFH_CLIENT_SOUND_PLAYER"
LINUX_PLAYERS = ("paplay", "pw-play", "aplay")


def player_command(path: Path) -> list[str] | None:
    """The command line that plays ``path`` here, or None (Windows' winsound, or a beep)."""
    override = os.environ.get(ENV_PLAYER, "").strip()
    if override:
        return [*shlex.split(override, posix=os.name != "nt"), str(path)]
    if sys.platform.startswith("win"):
        return None
    candidates = ("afplay",) if sys.platform == "darwin" else LINUX_PLAYERS
    for name in candidates:
        found = shutil.which(name)
        if found:
            return [found, str(path)]
    return None


class AlertSound(QObject):
    played = Signal()  # one play was started (or a beep sounded)
    stopped = Signal()

    def __init__(self, parent: QObject | None = None, *, path: Path = SOUND_FILE,
                 repeat_ms: int = REPEAT_MS) -> None:
        super().__init__(parent)
        self.path = path
        self.plays = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(repeat_ms)
        self._timer.timeout.connect(self.play_once)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Play now and every ``repeat_ms`` until :meth:`stop` (a restart plays at once)."""
        self._timer.start()
        self.play_once()

    def stop(self) -> None:
        was_active = self._timer.isActive()
        self._timer.stop()
        if was_active:
            self.stopped.emit()
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                process.kill()
        if sys.platform.startswith("win") and not os.environ.get(ENV_PLAYER):
            try:
                import winsound

                winsound.PlaySound(None, 0)  # type: ignore[attr-defined]
            except (ImportError, RuntimeError):
                pass

    def play_once(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return  # still playing the previous round
        self.plays += 1
        self.played.emit()
        command = player_command(self.path)
        if command is None and sys.platform.startswith("win") \
                and not os.environ.get(ENV_PLAYER):
            try:
                import winsound

                winsound.PlaySound(str(self.path),  # type: ignore[attr-defined]
                                   winsound.SND_FILENAME | winsound.SND_ASYNC)  # type: ignore[attr-defined]
                return
            except (ImportError, RuntimeError) as exc:
                log.info("winsound failed: %s", exc)
        if command is None:
            QApplication.beep()
            return
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL)
        except OSError as exc:
            log.info("cannot start the sound player %s: %s", command[0], exc)
            QApplication.beep()
