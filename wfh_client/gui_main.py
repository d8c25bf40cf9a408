"""``wfh-client-gui``: the desktop entry point, safe to start where nothing can be printed.

A windowed app (the Windows ``wfh-client-gui.exe``, a desktop launcher on Linux) has no console:
an error only printed to stderr is an app that silently does not start. So before anything can
fail this module sets up the log file (:mod:`wfh_client.logs`), and every start-up error is
logged *and* shown in a dialog:

- Qt cannot be imported or started (missing system libraries, a broken install): a native
  dialog without Qt (:func:`native_error_dialog`: Windows ``MessageBoxW``; elsewhere ``zenity``,
  ``kdialog`` or ``xmessage``, whichever exists), exit code 3;
- a bad configuration (a malformed or untrusted policy, an unreadable settings file): a Qt
  message box naming the file and the IT contact, exit code 2.

``--version`` prints the build facts; ``--self-test`` opens the main window offscreen, checks
translations, icons, the sound file and the environment children get, prints a JSON report
and exits 0 if all is well (the packaging checks run it on the frozen bundle).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # --self-test reports the time from here to the painted window

import argparse  # noqa: E402
import ctypes  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

from wfh_client.buildinfo import build_info  # noqa: E402
from wfh_client.config import ConfigError  # noqa: E402
from wfh_client.frozen_env import restore_child_environment  # noqa: E402
from wfh_client.logs import log_dir, setup_logging  # noqa: E402

log = logging.getLogger("wfh_client.gui")

PROGRAM = "wfh-client-gui"
EXIT_CONFIG, EXIT_NO_QT = 2, 3
TITLE = "WFH - Một cửa điện tử"
DIALOG_TIMEOUT_S = 600


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROGRAM, description="Work-from-home client for "
                                     "one-stop-shop staff (desktop).")
    parser.add_argument("--version", action="version",
                        version=build_info().version_line(PROGRAM))
    parser.add_argument("--data-dir", metavar="DIR", help="data directory "
                        "(default: $WFH_CLIENT_DATA_DIR or the platform's user data dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--self-test", action="store_true",
                        help="open the main window offscreen, check resources, print a JSON "
                             "report and exit (0: all well)")
    return parser


def native_error_dialog(title: str, text: str) -> bool:
    """Show ``text`` without Qt; True if some dialog could be shown (it waits for the user)."""
    if sys.platform == "win32":
        windll = getattr(ctypes, "windll", None)
        if windll is not None:
            windll.user32.MessageBoxW(None, text, title, 0x10)  # MB_ICONERROR
            return True
        return False
    candidates = (
        ("zenity", ["--error", "--no-markup", f"--title={title}", f"--text={text}"]),
        ("kdialog", ["--title", title, "--error", text]),
        ("xmessage", ["-center", f"{title}\n\n{text}"]),
    )
    for name, args in candidates:
        found = shutil.which(name)
        if found is None:
            continue
        try:
            subprocess.run([found, *args], check=False, timeout=DIALOG_TIMEOUT_S)
            return True
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("cannot show the error with %s: %s", name, exc)
    return False


def _startup_failed(summary_vi: str, summary_en: str, detail: str, log_file: Path | None) -> str:
    where = str(log_file) if log_file is not None else str(log_dir())
    return (f"{summary_vi}\n{summary_en}\n\n{detail}\n\n"
            f"Nhật ký / Log: {where}\n"
            "Hãy gửi thông tin này cho bộ phận CNTT. / Please send this to your IT support.")


def _no_qt(exc: BaseException, log_file: Path | None) -> int:
    log.critical("the desktop app cannot start: Qt is not usable: %s", exc, exc_info=exc)
    text = _startup_failed(
        "Ứng dụng không khởi động được: thiếu thư viện giao diện (Qt).",
        "The app cannot start: the user interface libraries (Qt) are missing or broken.",
        f"{type(exc).__name__}: {exc}", log_file)
    if not native_error_dialog(TITLE, text):
        print(text, file=sys.stderr)
    return EXIT_NO_QT


def main(argv: Sequence[str] | None = None) -> int:
    restore_child_environment()
    args, qt_args = build_parser().parse_known_args(
        list(argv if argv is not None else sys.argv[1:]))
    if args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    log_file = setup_logging(PROGRAM, verbose=args.verbose)
    info = build_info()
    log.info("starting %s", info.version_line(PROGRAM))
    try:
        from wfh_client.ui import app as ui_app
        from wfh_client.ui import startup
    except ImportError as exc:  # PySide6 missing, or a Qt library it links to
        return _no_qt(exc, log_file)
    problem = startup.preflight_platform_plugin()
    if problem is not None:
        return _no_qt(RuntimeError(problem), log_file)
    if args.self_test:
        from wfh_client.ui.selftest import run_self_test

        return run_self_test([sys.argv[0], *qt_args])
    try:
        from wfh_client.config import load_config

        config = load_config(args.data_dir)
    except ConfigError as exc:
        log.critical("configuration error: %s", exc)
        text = _startup_failed("Cấu hình của máy không hợp lệ.",
                               "The configuration of this computer is not valid.", str(exc),
                               log_file)
        return startup.show_fatal_error([sys.argv[0], *qt_args], TITLE, text,
                                        code=EXIT_CONFIG)
    return ui_app.run(config, [sys.argv[0], *qt_args])


if __name__ == "__main__":
    sys.exit(main())
