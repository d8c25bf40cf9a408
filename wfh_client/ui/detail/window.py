"""The dossier window: header, tabs (overview, documents, process-control slip, notes), the
workflow actions in a menu and toolbar, and the printable slips.

Data comes from :func:`~wfh_client.ui.detail.data.load_view` on the worker pool; the window
re-reads it on ``dossiers.changed`` (for its id) and ``outbox.changed`` (uploads, sync
states) from the bridge, so an action recorded offline shows its optimistic result and the
"waiting to sync" badge at once, and the synced result after the next sync.

A dossier taken away from the user says so in a banner above the tabs: at once when the events
feed announces the reassignment (``feed.assignment``), and for good when the sync removes it
from the cache (reassigned or withdrawn), with the count of the user's changes kept under
rejected changes and a button to open them. Its actions are disabled from then on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wfh_client.domain.workflow import supplement_request
from wfh_client.ui.context import AppContext
from wfh_client.ui.detail.data import Departed, DossierView, load_view
from wfh_client.ui.detail.documents import DocumentsPanel
from wfh_client.ui.detail.notes import NotesPanel
from wfh_client.ui.detail.overview import HeaderPanel, OverviewPanel
from wfh_client.ui.detail.timeline import TimelineTable
from wfh_client.ui.dialogs.actions import build_dossier_actions
from wfh_client.ui.icons import icon
from wfh_client.ui.messages import describe_error
from wfh_client.ui.operation import Op
from wfh_client.ui.ops import mark_seen
from wfh_client.ui.printing.output import SlipSource, export_pdf, print_html
from wfh_client.ui.printing.slips import (
    apology_slip_html,
    control_slip_html,
    supplement_slip_html,
)
from wfh_client.ui.widgets.saved import confirm_saved

__all__ = ["DossierWindow"]


class DossierWindow(QMainWindow):
    loaded = Signal(object)  # DossierView, after each render

    def __init__(self, ctx: AppContext, dossier_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.view: DossierView | None = None
        self._reload_queued = False
        self._loading = False
        self.setObjectName("dossierWindow")
        self.setWindowIcon(icon("app"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.header = HeaderPanel(central)
        self.missing = QLabel(central)
        self.missing.setObjectName("departedBanner")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("background: #fde7e9; color: #8a1c24; border: 1px solid "
                                   "#e08a92; border-radius: 4px; padding: 8px;")
        self.show_rejected_button = QPushButton(central)
        self.show_rejected_button.clicked.connect(self._show_rejected)
        self.show_rejected_button.hide()
        self.missing.hide()
        self.departed: Departed | None = None
        self.reassigned = False  # the events feed said so; the sync has not removed it yet
        self.saved_notice: QMessageBox | None = None  # the last "Đã lưu — Mở tệp"
        self.tabs = QTabWidget(central)
        self.overview = OverviewPanel(self.tabs)
        self.documents = DocumentsPanel(ctx, dossier_id, self.tabs)
        self.timeline = TimelineTable(self.tabs)
        self.notes = NotesPanel(ctx, dossier_id, self.tabs)
        for panel in (self.overview, self.documents, self.timeline, self.notes):
            self.tabs.addTab(panel, "")
        layout.addWidget(self.header)
        layout.addWidget(self.missing)
        layout.addWidget(self.show_rejected_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.actions_list = build_dossier_actions(ctx, self, lambda: self.dossier_id)
        self._build_menus()
        self.documents.downloaded.connect(lambda _id: self.reload())
        self.documents.attached.connect(lambda _e: self.reload())
        self.notes.recorded.connect(lambda _e: self.reload())
        self.retranslate_ui()
        ctx.bridge.register(self)
        self.resize(1100, 720)
        self.reload()

    # ------------------------------------------------------------------ building
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.dossier_menu = bar.addMenu("")
        self.toolbar = self.addToolBar("")
        self.toolbar.setObjectName("dossierToolbar")
        self.dossier_menu.setToolTipsVisible(True)  # a disabled action says what it waits for
        for action in self.actions_list:
            self.dossier_menu.addAction(action)
        self.print_menu = bar.addMenu("")
        self.act_print_slip = self._action(self.print_menu, QKeySequence.StandardKey.Print,
                                           lambda: self.print_slip("control"))
        self.act_export_slip = self._action(self.print_menu, "Ctrl+Shift+P",
                                            lambda: self.choose_pdf("control"))
        self.print_menu.addSeparator()
        self.act_print_apology = self._action(self.print_menu, None,
                                              lambda: self.print_slip("apology"))
        self.act_export_apology = self._action(self.print_menu, None,
                                               lambda: self.choose_pdf("apology"))
        self.print_menu.addSeparator()
        self.act_print_supplement = self._action(self.print_menu, None,
                                                 lambda: self.print_slip("supplement"))
        self.act_export_supplement = self._action(self.print_menu, None,
                                                  lambda: self.choose_pdf("supplement"))
        self.print_menu.addSeparator()
        self.act_close = self._action(self.print_menu, QKeySequence.StandardKey.Close, self.close)

    def _action(self, menu: Any, shortcut: Any, slot: Any) -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def retranslate_ui(self) -> None:
        self.dossier_menu.setTitle(self.tr("&Dossier"))
        self.print_menu.setTitle(self.tr("&Print"))
        self.toolbar.setWindowTitle(self.tr("Actions"))
        self.act_print_slip.setText(self.tr("Print the process-control slip…"))
        self.act_export_slip.setText(self.tr("Export the process-control slip to PDF…"))
        self.act_print_apology.setText(self.tr("Print the apology slip…"))
        self.act_export_apology.setText(self.tr("Export the apology slip to PDF…"))
        self.act_print_supplement.setText(self.tr("Print the request for documents (Form 02)…"))
        self.act_export_supplement.setText(
            self.tr("Export the request for documents (Form 02) to PDF…"))
        self.act_close.setText(self.tr("Close"))
        for i, title in enumerate((self.tr("Overview"), self.tr("Documents"),
                                   self.tr("Process-control slip"), self.tr("Notes"))):
            self.tabs.setTabText(i, title)
        self.show_rejected_button.setText(self.tr("Show the rejected changes…"))
        self._update_banner()
        self.overview.retranslate_ui()
        self.documents.retranslate_ui()
        self.timeline.retranslate_ui()
        self.notes.retranslate_ui()
        if self.view is not None:
            self._render(self.view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -------------------------------------------------------------------- data
    def reload(self) -> None:
        """Re-read the dossier off the GUI thread (coalesced while a read is running)."""
        if self._loading:
            self._reload_queued = True
            return
        self._loading = True
        cache, dossier_id = self.ctx.cache, self.dossier_id
        Op(self, lambda: load_view(cache, dossier_id)).success(self._loaded) \
            .failure(self._load_failed).run()

    def _loaded(self, view: DossierView | Departed) -> None:
        self._loading = False
        if self._reload_queued:
            self._reload_queued = False
            self.reload()
        if isinstance(view, Departed):
            self.departed = view
            self._update_banner()
            for action in self.actions_list:
                action.setEnabled(False)
            self.toolbar.clear()
            return
        self.departed = None
        self._update_banner()
        first = self.view is None
        self.view = view
        if first:
            mark_seen(self.ctx, self.dossier_id)
        self._render(view)
        self.loaded.emit(view)

    def _load_failed(self, _exc: BaseException, words: str) -> None:
        self._loading = False
        self.missing.setText(self.tr("The dossier cannot be read: %1").replace("%1", words))
        self.missing.show()

    def _update_banner(self) -> None:
        """Say plainly when the dossier is no longer the user's (see the module docstring)."""
        gone = self.departed
        if gone is not None:
            text = self.tr("This dossier is no longer yours: it was reassigned to another "
                           "officer or withdrawn, and it has left your list.")
            if gone.refused:
                text += " " + self.tr("%n change(s) you made were not sent; they are kept "
                                      "under rejected changes.", "", gone.refused)
            self.missing.setText(text)
        elif self.reassigned:
            self.missing.setText(self.tr("This dossier has just been reassigned to another "
                                         "officer. It leaves your list at the next sync; "
                                         "changes not sent yet will be kept under rejected "
                                         "changes."))
        self.missing.setVisible(gone is not None or self.reassigned)
        self.show_rejected_button.setVisible(gone is not None and gone.refused > 0)

    def _show_rejected(self) -> None:
        opener = getattr(self.parent(), "open_conflicts", None)
        if opener is not None:
            opener()

    def _render(self, view: DossierView) -> None:
        calendar = self.ctx.calendar
        self.setWindowTitle(f"{view.code} — {view.data.get('procedure_name') or ''}")
        self.header.set_view(view)
        self.overview.set_view(view, calendar, self.ctx.clock())
        self.documents.set_view(view)
        self.timeline.set_history(list(view.data.get("history") or []), calendar, view.data)
        self.notes.set_notes(view.data)
        self._show_allowed(self.actions_list.update_enabled())
        has_apology = int(view.data.get("apology_count") or 0) > 0
        self.act_print_apology.setEnabled(has_apology)
        self.act_export_apology.setEnabled(has_apology)
        has_request = supplement_request(list(view.data.get("history") or [])) is not None
        self.act_print_supplement.setEnabled(has_request)
        self.act_export_supplement.setEnabled(has_request)

    def _show_allowed(self, allowed: list[Any]) -> None:
        """The toolbar holds what can be done now; the menu keeps every action of the role,
        the disabled ones explaining the rule they wait for."""
        self.toolbar.clear()
        for action in self.actions_list:
            if action.data() in allowed:
                self.toolbar.addAction(action)

    # ------------------------------------------------------------ bridge events
    def on_event_dossiers_changed(self, ids: list[str] | None = None, **_kw: Any) -> None:
        if ids is None or self.dossier_id in ids:
            self.reload()

    def on_event_outbox_changed(self, dossier_id: str | None = None, **_kw: Any) -> None:
        if dossier_id is None or dossier_id == self.dossier_id:
            self.reload()

    def on_event_feed_assignment(self, event: dict[str, Any] | None = None,
                                 replay: bool = False, **_kw: Any) -> None:
        payload = (event or {}).get("payload") or {}
        me = (self.ctx.user or {}).get("id")
        if (str(payload.get("dossier_id")) != self.dossier_id or me is None
                or payload.get("assignee_id") == me
                or payload.get("previous_assignee_id") != me):
            return
        self.reassigned = True
        for action in self.actions_list:
            action.setEnabled(False)
        self.toolbar.clear()
        self._update_banner()

    def on_event_document_progress(self, doc_id: str, done: int, total: int,
                                   **_kw: Any) -> None:
        self.documents.set_progress(doc_id, done, total)
        if total and done >= total and doc_id in self.documents.bars:
            # a download finished (the prefetch's too, which announces nothing else): read
            # the row's new state, or it would say "not downloaded" under a full bar
            self.reload()

    # ------------------------------------------------------------------ printing
    def agency_name(self) -> str:
        user = self.ctx.user or {}
        if user.get("department_name"):
            return str(user["department_name"])
        for row in reversed((self.view.data.get("history") if self.view else None) or []):
            if row.get("department_name"):
                return str(row["department_name"])
        return ""

    def place_name(self) -> str:
        """Written before the date on the slips (machine policy ``place_name``)."""
        config = self.ctx.config
        return str(config.get("place_name") or "") if config is not None else ""

    def slip_html(self, kind: str) -> SlipSource:
        data = self.view.data if self.view is not None else {}
        if kind == "apology":
            return apology_slip_html(data, self.ctx.calendar, agency=self.agency_name(),
                                     place=self.place_name(), issued=self.ctx.clock())
        if kind == "supplement":
            return supplement_slip_html(data, self.ctx.calendar, agency=self.agency_name(),
                                        place=self.place_name())
        agency, calendar = self.agency_name(), self.ctx.calendar
        return lambda moved: control_slip_html(data, calendar, agency=agency, split_last=moved)

    def _slip_title(self, kind: str) -> str:
        code = self.view.code if self.view is not None else self.dossier_id
        prefix = {"apology": self.tr("Apology slip"),
                  "supplement": self.tr("Request for documents")}.get(
            kind, self.tr("Process-control slip"))
        return f"{prefix} {code}"

    def print_slip(self, kind: str = "control") -> bool:
        return print_html(self.slip_html(kind), self, title=self._slip_title(kind))

    def choose_pdf(self, kind: str = "control") -> Path | None:
        code = self.view.code if self.view is not None else self.dossier_id
        stem = {"apology": "phieu-xin-loi", "supplement": "phieu-yeu-cau-bo-sung"}.get(
            kind, "phieu-kiem-soat")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export to PDF"), str(Path.home() / f"{stem}-{code}.pdf"),
            self.tr("PDF files (*.pdf)"))
        if not path:
            return None
        return self.export_pdf(Path(path), kind)

    def export_pdf(self, path: Path, kind: str = "control") -> Path | None:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            written = export_pdf(self.slip_html(kind), path, title=self._slip_title(kind))
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export to PDF"), describe_error(exc))
            return None
        self.saved_notice = confirm_saved(self, written)
        return written

    # --------------------------------------------------------------------- close
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.documents.cancel_downloads()
        self.documents.close_open_files()
        self.ctx.bridge.unregister(self)
        super().closeEvent(event)
