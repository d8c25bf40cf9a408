"""Languages, translated vocabulary and display formats of the UI.

Source strings are English; ``resources/translations/wfh_<lang>.qm`` (compiled from the
``.ts`` files with ``pyside6-lrelease``) translate them. Vietnamese (``vi``) is the default.
:func:`set_language` swaps the installed ``QTranslator`` at run time: Qt then sends
``QEvent.LanguageChange`` to every widget, whose ``changeEvent`` calls its ``retranslate_ui``.

Qt's own dialogs (file, print, the standard buttons, the text fields' menus) follow too: the
default ``QLocale`` becomes vi_VN / en_GB (month and day names of the calendar popups) and a
second translator loads Qt's catalogue - ``qt_<lang>.qm`` from the app's resources (Qt ships no
Vietnamese one, so ``resources/translations/qt_vi.ts`` translates the strings those dialogs
show), else Qt's own ``qtbase_<lang>.qm``.

Dates are always ``dd/MM/yyyy`` and times 24-hour ``HH:mm`` in the calendar's time zone,
formatted with explicit patterns (never the locale's defaults).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from wfh_client.assets import resources_dir

__all__ = ["LANGUAGES", "RESOURCES_DIR", "TRANSLATIONS_DIR", "current_language",
           "format_date", "format_datetime", "format_number", "format_remaining", "parse_iso", "set_language",
           "status_name", "sync_state_name"]

LANGUAGES = ("vi", "en")
# packaged, frozen or source checkout (``WFH_CLIENT_RESOURCES`` overrides): see wfh_client.assets
RESOURCES_DIR = resources_dir()
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"

_translator: QTranslator | None = None
_qt_translator: QTranslator | None = None
_language = "vi"
_LOCALES = {"vi": QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam),
            "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)}


def set_language(language: str) -> bool:
    """Install the translator for ``language`` ("vi" or "en"); True if its .qm file loaded."""
    global _translator, _language
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    if language not in LANGUAGES:
        language = "vi"
    translator = QTranslator(app)
    loaded = translator.load(f"wfh_{language}", str(TRANSLATIONS_DIR))
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator.deleteLater()
        _translator = None
    if loaded:
        QCoreApplication.installTranslator(translator)
        _translator = translator
    _install_qt_catalogue(app, language)
    QLocale.setDefault(_LOCALES[language])
    _language = language
    return loaded


def _install_qt_catalogue(app: QCoreApplication, language: str) -> None:
    """Qt's own strings (see the module docstring)."""
    global _qt_translator
    if _qt_translator is not None:
        QCoreApplication.removeTranslator(_qt_translator)
        _qt_translator.deleteLater()
        _qt_translator = None
    translator = QTranslator(app)
    if translator.load(f"qt_{language}", str(TRANSLATIONS_DIR)) or translator.load(
            f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        QCoreApplication.installTranslator(translator)
        _qt_translator = translator


def current_language() -> str:
    return _language


def status_name(status: int | None) -> str:
    """The localised name of a national status code (1-10)."""
    names = {
        1: QCoreApplication.translate("Status", "Submitted"),
        2: QCoreApplication.translate("Status", "Accepted"),
        3: QCoreApplication.translate("Status", "Refused at intake"),
        4: QCoreApplication.translate("Status", "Processing"),
        5: QCoreApplication.translate("Status", "Awaiting documents"),
        6: QCoreApplication.translate("Status", "Awaiting fees"),
        7: QCoreApplication.translate("Status", "Withdrawn"),
        8: QCoreApplication.translate("Status", "Processing stopped"),
        9: QCoreApplication.translate("Status", "Result ready"),
        10: QCoreApplication.translate("Status", "Result returned"),
    }
    return names.get(status or 0, "" if status is None else str(status))


def sync_state_name(state: str) -> str:
    """The localised name of a row's sync state (synced / pending / conflict / rejected)."""
    names = {
        "synced": QCoreApplication.translate("SyncState", "Synced"),
        "pending": QCoreApplication.translate("SyncState", "Waiting to sync"),
        "conflict": QCoreApplication.translate("SyncState", "Conflict"),
        "rejected": QCoreApplication.translate("SyncState", "Rejected"),
    }
    return names.get(state, state)


def parse_iso(text: str | None) -> datetime | None:
    """An aware datetime from the API's ISO 8601 form (``...Z``); None for empty/invalid."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


# f-strings, not strftime: datetime.strftime imports the time module at every call, through
# PySide's Python-level import hook (~20 us); the list formats two dates per shown row.
def format_date(value: datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz)
    return f"{local.day:02d}/{local.month:02d}/{local.year:04d}"


def format_datetime(value: datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz)
    return f"{local.day:02d}/{local.month:02d}/{local.year:04d} {local.hour:02d}:{local.minute:02d}"


class Remaining(QObject):
    """Plural-aware phrases of the remaining time. ``self.tr(text, "", n)`` on a QObject is the
    form pyside6-lupdate recognises as a plural (``QCoreApplication.translate(..., n)`` is not
    extracted as one); the class name is the translation context."""

    def days(self, n: int) -> str:
        return self.tr("%n day(s)", "", n)

    def hours(self, n: int) -> str:
        return self.tr("%n hour(s)", "", n)

    def minutes(self, n: int) -> str:
        return self.tr("%n minute(s)", "", n)

    def overdue(self, text: str) -> str:
        return self.tr("overdue %1").replace("%1", text)


_remaining: Remaining | None = None


def format_remaining(remaining: timedelta, hours_per_day: float) -> str:
    """Working time left as "2 days 3 hours" / "overdue 1 day" (localised): the total is
    rounded to the nearest minute first (a due instant with seconds against a date picked to the
    minute must not read "4 days 7 hours" for five days), then shown in whole days and hours."""
    global _remaining
    if _remaining is None:
        _remaining = Remaining()
    phrases = _remaining
    overdue = remaining < timedelta(0)
    minutes = round(abs(remaining).total_seconds() / 60)
    day_minutes = max(1, round(hours_per_day * 60))
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(phrases.days(days))
    if hours:
        parts.append(phrases.hours(hours))
    if not days and not hours:
        parts.append(phrases.minutes(mins))
    text = " ".join(parts)
    return phrases.overdue(text) if overdue else text


def format_number(value: int) -> str:
    """Thousands grouped the way the current language writes them (vi: 100.000, en: 100,000)."""
    text = f"{value:,}"
    return text.replace(",", ".") if _language == "vi" else text
