"""The head's live roster: one row per officer from ``GET /api/v1/oncall/team``.

Columns: name, last check-in (time and status; the reason and "made offline" in the tooltip),
today's windows done, missed windows, connection (an events long-poll open now / last seen),
open recalls with this person's state (sent / delivered / seen / coming at HH:mm / cannot come:
reason) and leave. :meth:`TeamTableModel.set_team` keeps the rows (and so the selection) when
the same people come back in the same order, and only says what changed.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from wfh_client.ui.oncall.labels import (
    hhmm,
    leave_state_name,
    person_state_text,
    status_name,
    when,
)

__all__ = ["COLUMNS", "USER_ID_ROLE", "TeamTableModel"]

COLUMNS = ("name", "last_checkin", "done", "missed", "connection", "recalls", "leave")
USER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_RED, _GREEN, _GREY, _AMBER = "#b91c1c", "#166534", "#64748b", "#b45309"
Index = QModelIndex | QPersistentModelIndex


class TeamTableModel(QAbstractTableModel):
    def __init__(self, tz: tzinfo, parent: QObject | None = None,
                 now: datetime | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.now = now
        self.members: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ data in
    def set_team(self, members: list[dict[str, Any]], now: datetime | None = None) -> None:
        self.now = now or self.now
        same = [m.get("user_id") for m in members] == [m.get("user_id") for m in self.members]
        if same and members:
            self.members = [dict(m) for m in members]
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(members) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.members = [dict(m) for m in members]
        self.endResetModel()

    def member(self, row: int) -> dict[str, Any] | None:
        return self.members[row] if 0 <= row < len(self.members) else None

    def row_of(self, user_id: int) -> int:
        return next((i for i, m in enumerate(self.members) if m.get("user_id") == user_id), -1)

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.members)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole \
                or not 0 <= section < len(COLUMNS):
            return None
        return [self.tr("Officer"), self.tr("Last check-in"), self.tr("Done today"),
                self.tr("Missed"), self.tr("Connection"), self.tr("Open recalls"),
                self.tr("Leave")][section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.members) \
                or index.column() >= len(COLUMNS):
            return None
        m, column = self.members[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(m, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(m, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self._colour(m, column)
            return QBrush(QColor(colour)) if colour else None
        if role == USER_ID_ROLE:
            return m.get("user_id")
        return None

    # ------------------------------------------------------------------ cells
    def _text(self, m: dict[str, Any], column: str) -> str:
        if column == "name":
            return str(m.get("full_name") or "")
        if column == "last_checkin":
            last = m.get("last_checkin")
            if not last:
                return self.tr("none yet")
            text = f"{when(last.get('effective_at') or last.get('client_time'), self.tz, self.now)}" \
                f" · {status_name(str(last.get('status')))}"
            return text + (" " + self.tr("(offline)") if last.get("offline") else "")
        if column == "done":
            return f"{m.get('windows_done', 0)}/{m.get('windows_total', 0)}"
        if column == "missed":
            return str(m.get("missed_today", 0))
        if column == "connection":
            conn = m.get("connection") or {}
            if conn.get("connected"):
                return self.tr("Connected")
            seen = conn.get("last_seen_at")
            return self.tr("Offline (seen %1)").replace("%1", when(seen, self.tz, self.now)) \
                if seen else self.tr("Offline")
        if column == "recalls":
            return "; ".join(f"#{r.get('recall_id')} {person_state_text(r, self.tz)}"
                             for r in m.get("open_recalls") or [])
        if column == "leave":
            if m.get("on_leave_now"):
                return self.tr("On leave now")
            leaves = m.get("leave_today") or []
            return ", ".join(f"{hhmm(x.get('starts_at'), self.tz)}–{hhmm(x.get('ends_at'), self.tz)}"
                             for x in leaves)
        return ""

    def _tip(self, m: dict[str, Any], column: str) -> str | None:
        if column == "name":
            return str(m.get("title") or "") or None
        if column == "last_checkin" and m.get("last_checkin"):
            last = m["last_checkin"]
            parts = [status_name(str(last.get("status")))]
            if last.get("reason"):
                parts.append(self.tr("Reason: %1").replace("%1", str(last["reason"])))
            if last.get("offline"):
                parts.append(self.tr("Made offline at %1, received %2").replace(
                    "%1", when(last.get("client_time"), self.tz, self.now)).replace(
                    "%2", when(last.get("received_at"), self.tz, self.now)))
            return "\n".join(parts)
        if column == "missed" and m.get("missed_windows"):
            return self.tr("Missed windows: %1").replace("%1", ", ".join(
                hhmm(str(s), self.tz) for s in m["missed_windows"]))
        if column == "recalls" and m.get("open_recalls"):
            return "\n".join(f"#{r.get('recall_id')} {r.get('message', '')}"
                             for r in m["open_recalls"])
        if column == "leave" and m.get("leave_today"):
            return "\n".join(f"{leave_state_name(str(x.get('state')))}: {x.get('reason', '')}"
                             for x in m["leave_today"])
        return None

    def _colour(self, m: dict[str, Any], column: str) -> str | None:
        if column == "missed" and int(m.get("missed_today") or 0) > 0:
            return _RED
        if column == "connection":
            return _GREEN if (m.get("connection") or {}).get("connected") else _GREY
        if column == "recalls":
            states = {r.get("state") for r in m.get("open_recalls") or []}
            if "declined" in states:
                return _RED
            if states and states <= {"acknowledged"}:
                return _GREEN
            return _AMBER if states else None
        if column == "leave" and m.get("on_leave_now"):
            return _GREY
        return None
