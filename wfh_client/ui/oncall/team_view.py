"""The head's team view: who is on duty, who missed a check-in, who answered a recall, leave.

A live roster (:class:`~.team_model.TeamTableModel`) from ``GET /api/v1/oncall/team``, the
department's open recalls with each person's state (``GET /api/v1/oncall/recalls?open=1``) and
the leave requests waiting for a decision (``GET /api/v1/oncall/leave?state=requested``). All
three are read together on the worker pool, again on ``feed.recall_state``, ``feed.recall``,
``feed.recall_closed``, ``feed.recall_escalated``, ``feed.leave`` and ``feed.connected``
(debounced) and every :data:`REFRESH_MS`. Actions: "Recall…" for the selected officers
(:class:`~.recall_dialog.RecallDialog` -> ``POST /api/v1/oncall/recalls``), close a recall,
approve or reject a leave request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wfh_client.oncall.transport import iso_z
from wfh_client.ui.context import AppContext
from wfh_client.ui.i18n import format_datetime, parse_iso
from wfh_client.ui.oncall.labels import (
    hhmm,
    person_state_text,
    urgency_name,
    when,
)
from wfh_client.ui.oncall.recall_dialog import RecallDialog
from wfh_client.ui.oncall.team_model import TeamTableModel
from wfh_client.ui.operation import Op

__all__ = ["REFRESH_MS", "TeamView"]

REFRESH_MS = 30_000
DEBOUNCE_MS = 250
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class TeamView(QWidget):
    refreshed = Signal()
    failed = Signal(str)
    recall_sent = Signal(object)  # the server's RecallOut

    def __init__(self, ctx: AppContext, transport: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("teamView")
        self.ctx = ctx
        self.transport = transport
        self.tz = ctx.calendar.tz
        self.recalls: list[dict[str, Any]] = []
        self.leaves: list[dict[str, Any]] = []
        self.recall_dialog: RecallDialog | None = None
        self.loading = False
        self._again = False
        self.model = TeamTableModel(self.tz, self, now=ctx.clock())
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.heading = QLabel(self)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #475569;")
        self.refresh_button = QPushButton(self)
        self.recall_button = QPushButton(self)
        self.recall_button.setObjectName("recall")
        self.recall_button.setEnabled(False)
        self.recalls_box = QGroupBox(self)
        self.recall_tree = QTreeWidget(self.recalls_box)
        self.recall_tree.setColumnCount(3)
        self.close_recall_button = QPushButton(self.recalls_box)
        self.close_recall_button.setEnabled(False)
        self.leave_box = QGroupBox(self)
        self.leave_tree = QTreeWidget(self.leave_box)
        self.leave_tree.setColumnCount(3)
        self.approve_button = QPushButton(self.leave_box)
        self.reject_button = QPushButton(self.leave_box)
        for b in (self.approve_button, self.reject_button):
            b.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.recall_button)
        top.addWidget(self.refresh_button)
        rbox = QVBoxLayout(self.recalls_box)
        rbox.addWidget(self.recall_tree)
        rbox.addWidget(self.close_recall_button, 0, Qt.AlignmentFlag.AlignRight)
        lbox = QVBoxLayout(self.leave_box)
        lbox.addWidget(self.leave_tree)
        lrow = QHBoxLayout()
        lrow.addStretch(1)
        lrow.addWidget(self.approve_button)
        lrow.addWidget(self.reject_button)
        lbox.addLayout(lrow)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.recalls_box)
        lower.addWidget(self.leave_box)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

        self.refresh_button.clicked.connect(self.refresh)
        self.recall_button.clicked.connect(self.open_recall_dialog)
        self.close_recall_button.clicked.connect(self.close_selected_recall)
        self.approve_button.clicked.connect(lambda: self.decide_leave("approve"))
        self.reject_button.clicked.connect(lambda: self.decide_leave("reject"))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_recall_dialog())
        self.recall_tree.itemSelectionChanged.connect(self._selection_changed)
        self.leave_tree.itemSelectionChanged.connect(self._selection_changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.retranslate_ui()
        self.resize(1100, 640)
        ctx.bridge.register(self)
        self.refresh()

    # ------------------------------------------------------------------ reading
    def refresh(self) -> None:
        if self.loading:
            self._again = True
            return
        self.loading = True
        transport = self.transport

        def fetch() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
            team = transport.request("GET", "/api/v1/oncall/team").json()
            recalls = transport.request("GET", "/api/v1/oncall/recalls",
                                        params={"open": 1}).json()
            leaves = transport.request("GET", "/api/v1/oncall/leave",
                                       params={"state": "requested"}).json()
            return team, list(recalls.get("recalls") or []), list(leaves.get("leaves") or [])

        Op(self, fetch).success(self._loaded).failure(self._load_failed).run()

    def _loaded(self, result: tuple[dict[str, Any], list[dict[str, Any]],
                                    list[dict[str, Any]]]) -> None:
        team, self.recalls, self.leaves = result
        now = parse_iso(str(team.get("generated_at") or "")) or self.ctx.clock()
        self.model.set_team(list(team.get("members") or []), now)
        self._fill_recalls()
        self._fill_leaves()
        self.status.setText(self.tr("Updated %1").replace("%1", format_datetime(now, self.tz)))
        self.status.setStyleSheet("color: #475569;")
        self._done_loading()
        self.refreshed.emit()

    def _load_failed(self, _exc: BaseException, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b91c1c;")
        self._done_loading()
        self.failed.emit(text)

    def _done_loading(self) -> None:
        self.loading = False
        self._selection_changed()
        if self._again:
            self._again = False
            self._debounce.start()

    def _fill_recalls(self) -> None:
        selected = self.selected_recall_id()
        self.recall_tree.clear()
        now = self.model.now
        for r in self.recalls:
            head = QTreeWidgetItem([
                f"#{r['id']} · " + urgency_name(str(r.get("urgency") or "")),
                self.tr("report by %1").replace("%1", hhmm(r.get("report_by"), self.tz)),
                when(r.get("created_at"), self.tz, now) + " · " + str(r.get("message") or "")])
            head.setData(0, ID_ROLE, int(r["id"]))
            head.setToolTip(2, str(r.get("message") or ""))
            for p in r.get("recipients") or []:
                child = QTreeWidgetItem([str(p.get("full_name") or ""),
                                         person_state_text(p, self.tz),
                                         self.tr("escalated") if p.get("escalated_at") else ""])
                child.setData(0, ID_ROLE, int(r["id"]))
                head.addChild(child)
            self.recall_tree.addTopLevelItem(head)
            head.setExpanded(True)
            if int(r["id"]) == selected:
                head.setSelected(True)
        for c in range(2):
            self.recall_tree.resizeColumnToContents(c)

    def _fill_leaves(self) -> None:
        self.leave_tree.clear()
        for x in self.leaves:
            item = QTreeWidgetItem([
                str(x.get("full_name") or ""),
                f"{when(x.get('starts_at'), self.tz)} – {when(x.get('ends_at'), self.tz)}",
                str(x.get("reason") or "")])
            item.setData(0, ID_ROLE, int(x["id"]))
            self.leave_tree.addTopLevelItem(item)
        for c in range(3):
            self.leave_tree.resizeColumnToContents(c)

    # ------------------------------------------------------------------ selection
    def selected_members(self) -> list[dict[str, Any]]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [m for m in (self.model.member(r) for r in rows) if m is not None]

    def selected_recall_id(self) -> int | None:
        items = self.recall_tree.selectedItems()
        return int(items[0].data(0, ID_ROLE)) if items else None

    def selected_leave_id(self) -> int | None:
        items = self.leave_tree.selectedItems()
        return int(items[0].data(0, ID_ROLE)) if items else None

    def _selection_changed(self) -> None:
        self.recall_button.setEnabled(bool(self.selected_members()))
        self.close_recall_button.setEnabled(self.selected_recall_id() is not None)
        has_leave = self.selected_leave_id() is not None
        self.approve_button.setEnabled(has_leave)
        self.reject_button.setEnabled(has_leave)

    # ------------------------------------------------------------------ actions
    def open_recall_dialog(self) -> RecallDialog | None:
        members = self.selected_members()
        if not members:
            return None
        dialog = RecallDialog(members, self.tz, self.ctx.clock(), self)
        dialog.submitted.connect(lambda values: self._send_recall(dialog, values))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "recall_dialog", None))
        self.recall_dialog = dialog
        dialog.open()
        return dialog

    def _send_recall(self, dialog: RecallDialog, values: dict[str, Any]) -> None:
        body = {"client_id": "rc-" + uuid.uuid4().hex, "recipients": values["recipients"],
                "message": values["message"], "report_by": iso_z(values["report_by"]),
                "urgency": values["urgency"]}
        transport = self.transport

        def done(out: dict[str, Any]) -> None:
            dialog.accept()
            self.recall_sent.emit(out)
            self.refresh()

        self._post(lambda: transport.request("POST", "/api/v1/oncall/recalls",
                                             json=body).json(), done, dialog.show_error)

    def close_selected_recall(self) -> None:
        rid = self.selected_recall_id()
        if rid is not None:
            transport = self.transport
            self._post(lambda: transport.request(
                "POST", f"/api/v1/oncall/recalls/{rid}/close").json(),
                lambda _o: self.refresh(), self._show_error)

    def decide_leave(self, decision: str) -> None:
        lid = self.selected_leave_id()
        if lid is not None and decision in ("approve", "reject"):
            transport = self.transport
            self._post(lambda: transport.request(
                "POST", f"/api/v1/oncall/leave/{lid}/{decision}").json(),
                lambda _o: self.refresh(), self._show_error)

    def _post(self, work: Callable[[], Any], done: Callable[[Any], None],
              show_error: Callable[[str], None]) -> None:
        Op(self, work).success(done).failure(lambda _exc, words: show_error(words)).run()

    def _show_error(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b91c1c;")

    # ------------------------------------------------------------------ live
    def _soon(self, **_: Any) -> None:
        self._debounce.start()

    on_event_feed_recall_state = _soon
    on_event_feed_recall = _soon
    on_event_feed_recall_closed = _soon
    on_event_feed_recall_escalated = _soon
    on_event_feed_leave = _soon
    on_event_feed_connected = _soon

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self._timer.stop()
        super().hideEvent(event)

    # ------------------------------------------------------------------ text
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Team on call"))
        self.heading.setText("<b>" + self.tr("Your department today") + "</b>")
        self.refresh_button.setText(self.tr("&Refresh"))
        self.recall_button.setText(self.tr("&Recall…"))
        self.recall_button.setToolTip(self.tr("Recall the selected officers to the office"))
        self.recalls_box.setTitle(self.tr("Open recalls"))
        self.recall_tree.setHeaderLabels([self.tr("Recall / person"), self.tr("State"),
                                          self.tr("Sent · message")])
        self.close_recall_button.setText(self.tr("C&lose recall"))
        self.leave_box.setTitle(self.tr("Leave requests waiting for you"))
        self.leave_tree.setHeaderLabels([self.tr("Officer"), self.tr("Period"),
                                         self.tr("Reason")])
        self.approve_button.setText(self.tr("&Approve"))
        self.reject_button.setText(self.tr("Re&ject"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 6)
        self._fill_recalls()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

