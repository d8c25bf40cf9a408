"""What the user is told when the local cache cannot be opened or is wiped.

The core (``wfh_client.sync.opening`` / ``wfh_client.store.recovery``) never deletes an
unreadable cache: it moves it aside and salvages what its key allows. This module puts that
into words, always with how many unsent changes were involved (or that it cannot be told):

- :func:`ask_to_start_fresh`: the key is missing or wrong (asked before anything moves):
  "Move it aside and download again" or "Quit" (to fix the password store first);
- :func:`set_aside_text`: what was moved where, and what became of the unsent changes;
- :func:`revoked_text`: a revocation wiped the device, and how many unsent changes went with it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from wfh_client.store.recovery import SetAside

__all__ = ["ask_to_start_fresh", "revoked_text", "set_aside_text"]


def _why(reason: str) -> str:
    return {
        "key_missing": QCoreApplication.translate(
            "CacheRecovery", "its key is no longer in the system's password store"
        ),
        "wrong_key": QCoreApplication.translate(
            "CacheRecovery", "the key in the system's password store does not open it"
        ),
        "not_encrypted": QCoreApplication.translate(
            "CacheRecovery", "it is not encrypted, which your organisation does not allow"
        ),
        "damaged": QCoreApplication.translate("CacheRecovery", "the file is damaged"),
    }.get(reason, reason)


def set_aside_text(report: SetAside) -> str:
    head = (
        QCoreApplication.translate(
            "CacheRecovery",
            "The data kept on this computer could not be opened (%1). It was moved aside, "
            "not deleted, to:\n%2\nA fresh copy is downloaded from the server.",
        )
        .replace("%1", _why(report.reason))
        .replace("%2", str(report.folder))
    )
    if report.unsent is None:
        tail = QCoreApplication.translate(
            "CacheRecovery",
            "How many unsent changes it held cannot be told without its key, and they "
            "cannot be sent. Tell your IT staff if you made changes offline recently.",
        )
    elif report.unsent == 0:
        tail = QCoreApplication.translate(
            "CacheRecovery", "It held no unsent changes: nothing is lost."
        )
    else:
        tail = (
            QCoreApplication.translate(
                "CacheRecovery",
                "It held %1 unsent changes: %2 were recovered and will be sent, %3 could not "
                "be read.",
            )
            .replace("%1", str(report.unsent))
            .replace("%2", str(report.salvaged))
            .replace("%3", str(report.lost))
        )
    return f"{head}\n\n{tail}"


def ask_to_start_fresh(reason: str, parent: QWidget | None = None) -> QMessageBox:
    """A non-modal question (``box.open()`` it): Yes = move aside and start again."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("CacheRecovery", "Local data cannot be opened"),
        QCoreApplication.translate(
            "CacheRecovery",
            "The data kept on this computer cannot be opened: %1.\n\nIt can be moved aside (it is "
            "kept, not deleted) and downloaded again from the server; changes that were not sent "
            "yet cannot be read without its key. If the password store was just reset or belongs "
            "to another session, quit, fix it and start the app again.",
        ).replace("%1", _why(reason)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Close,
        parent,
    )
    box.button(QMessageBox.StandardButton.Yes).setText(
        QCoreApplication.translate("CacheRecovery", "Move aside and download again")
    )
    box.button(QMessageBox.StandardButton.Close).setText(
        QCoreApplication.translate("CacheRecovery", "Quit")
    )
    box.setDefaultButton(QMessageBox.StandardButton.Close)  # nothing moves on a stray Enter
    return box


def revoked_text(base: str, discarded: int | None) -> str:
    if discarded is None:
        return base
    if discarded == 0:
        return (
            base
            + "\n\n"
            + QCoreApplication.translate("CacheRecovery", "No unsent changes were lost.")
        )
    return (
        base
        + "\n\n"
        + QCoreApplication.translate(
            "CacheRecovery",
            "%1 changes made on this computer had not been sent yet; they were erased with it.",
        ).replace("%1", str(discarded))
    )
