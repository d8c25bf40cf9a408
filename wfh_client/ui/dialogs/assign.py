"""Assign a dossier to an officer (heads). Deliberately simple; the head's assignment board
is a later issue.

The officers come from ``GET /api/v1/directory`` when the server answers (fetched on the
worker pool), else from the names already in the cache (assignees of cached dossiers).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel

from wfh_client.domain import ActionType
from wfh_client.store import board as store_board
from wfh_client.ui.dialogs.base import ActionDialog
from wfh_client.ui.dialogs.common import engine_of
from wfh_client.ui.operation import Op

__all__ = ["AssignDialog"]

DIRECTORY_PATH = "/api/v1/directory"


class AssignDialog(ActionDialog):
    kind = ActionType.ASSIGN

    def build(self) -> None:
        self.officer = QComboBox(self)
        self.officer.setObjectName("officerChoice")
        self.officer.setEditable(False)
        self.source = QLabel(self)
        self.source.setWordWrap(True)
        self.officer.currentIndexChanged.connect(self.changed)
        self.form.addRow(self.tr("Officer:"), self.officer)
        self.form.addRow("", self.source)
        self.source.setText(self.tr("Loading the department's officers…"))
        self.loaded = False
        Op(self, self._load).success(self._show).failure(self._offline).run()

    def _load(self) -> list[tuple[int, str]]:
        engine = engine_of(self.ctx)
        if engine is None:
            raise RuntimeError("offline")
        answer = engine.session.request("GET", DIRECTORY_PATH).json()
        return [(int(u["id"]), f"{u['full_name']} — {u.get('title') or ''}".rstrip(" —"))
                for u in answer.get("users", []) if u.get("role") == "officer"]

    def _show(self, officers: list[tuple[int, str]], cached: bool = False) -> None:
        current = self.doc.get("assignee_id")
        self.officer.blockSignals(True)
        self.officer.clear()
        self.officer.addItem(self.tr("— choose —"), None)
        for user_id, name in officers:
            self.officer.addItem(name, user_id)
        index = self.officer.findData(current) if current is not None else -1
        self.officer.setCurrentIndex(max(index, 0))
        self.officer.blockSignals(False)
        self.source.setText(self.tr("From the names in the local cache (offline).") if cached
                            else self.tr("From the department directory."))
        self.loaded = True
        self.revalidate()

    def _offline(self, _exc: BaseException, _words: str) -> None:
        try:
            officers = store_board.assignees(self.ctx.cache.reader())
        except Exception:  # noqa: BLE001 - an unreadable cache just gives an empty list
            officers = []
        self._show(officers, cached=True)

    def payload(self) -> dict[str, Any]:
        value = self.officer.currentData() if hasattr(self, "officer") else None
        return {} if value is None else {"assignee_id": int(value)}
