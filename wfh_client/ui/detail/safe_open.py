"""Opening a document safely, or saving it: only known document types reach the OS viewer.

``QDesktopServices.openUrl`` hands a file to whatever the desktop associates with its name:
for ``x.pdf.exe``, ``.hta``, ``.lnk``, ``.js``, ``.bat``, ``.ps1``, ``.vbs``, ``.desktop`` or
``.sh`` that means *running* it. So before a decrypted copy is even written:

- :func:`prepare_open` (worker thread) checks the name against the allowlist and the content's
  first bytes against that type's magic (``wfh_client.domain.filetypes.check_open``), then
  decrypts into the account's private copies folder; a refused file raises
  :class:`~wfh_client.domain.filetypes.FileTypeError` and nothing is written. If the window
  was closed while it decrypted, the copy is removed at once instead of being opened.
- :func:`warn_blocked` tells the user why it will not open and offers to save a copy;
  :func:`ask_save_path` asks where (a non-native dialog opened window-modally, so it never
  blocks the event loop); :func:`save_copy` decrypts there on a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from wfh_client.domain.filetypes import HEAD_BYTES, FileTypeError, check_open, extension_of
from wfh_client.store import DocumentStore

__all__ = ["ask_save_path", "first_bytes", "prepare_open", "save_copy", "warn_blocked"]


def first_bytes(documents: DocumentStore, doc_id: str) -> bytes:
    """The first plaintext bytes of a stored document (only its first chunk is decrypted)."""
    for chunk in documents.iter_plaintext(doc_id):
        return chunk[:HEAD_BYTES]
    return b""


def prepare_open(documents: DocumentStore, doc_id: str, name: str,
                 closed: threading.Event) -> Path | None:
    """Worker thread: the checked, decrypted copy to hand to the viewer; ``None`` when the
    window closed meanwhile (the copy is already removed). Raises ``FileTypeError``."""
    check_open(name, first_bytes(documents, doc_id))
    path = documents.decrypt_copy(doc_id, name)
    if closed.is_set():
        documents.remove_copy(path)
        return None
    return path


def save_copy(documents: DocumentStore, doc_id: str, target: Path) -> Path:
    """Worker thread: decrypt to a path the user chose (never overwriting a file)."""
    target.unlink(missing_ok=True)  # the save dialog already asked before replacing it
    return documents.decrypt_copy(doc_id, target=target)


def warn_blocked(parent: QWidget, name: str, error: FileTypeError,
                 on_save: Callable[[], None]) -> QMessageBox:
    """A window-modal warning: why the file will not be opened, with "Save a copy…"."""
    if error.code == "document.type_mismatch":
        why = QCoreApplication.translate(
            "SafeOpen", "Its content does not match its type, which is how harmful files "
            "disguise themselves.")
    else:
        why = QCoreApplication.translate(
            "SafeOpen", "Files of type “%1” can run programs on this computer.").replace(
            "%1", extension_of(name.rstrip(". ")) or name)
    text = " ".join((
        QCoreApplication.translate("SafeOpen", "“%1” will not be opened by the app.")
        .replace("%1", name),
        why,
        QCoreApplication.translate("SafeOpen", "You can save a copy and ask IT to check it "
                                   "before opening it.")))
    box = QMessageBox(QMessageBox.Icon.Warning,
                      QCoreApplication.translate("SafeOpen", "This file will not be opened"),
                      text, QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                      parent)
    box.setObjectName("blockedOpenBox")
    box.button(QMessageBox.StandardButton.Save).setText(
        QCoreApplication.translate("SafeOpen", "Save a copy…"))
    box.button(QMessageBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("SafeOpen", "Cancel"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.finished.connect(lambda result: on_save() if result == QMessageBox.StandardButton.Save
                         else None)
    box.open()
    return box


def ask_save_path(parent: QWidget, name: str, on_chosen: Callable[[Path], None]) -> QFileDialog:
    """A window-modal "Save a copy" dialog proposing ``name``; calls ``on_chosen(path)``."""
    dialog = QFileDialog(parent, QCoreApplication.translate("SafeOpen", "Save a copy"))
    dialog.setObjectName("saveCopyDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.selectFile(Path(name).name)
    dialog.fileSelected.connect(lambda path: on_chosen(Path(path)) if path else None)
    dialog.open()
    return dialog
