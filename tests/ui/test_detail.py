"""The dossier window on a real cache (offline engine): header, applicant, deadline, documents,
the slip as a timeline, notes; optimistic refresh and the "waiting to sync" badge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.dossier_fixtures import Desk, desk_fixture  # noqa: F401 - the desk_factory fixture
from wfh_client.sync.operations import record_action
from wfh_client.ui.detail import open_dossier, open_windows
from wfh_client.ui.detail.window import DossierWindow
from wfh_client.ui.i18n import set_language, sync_state_name


def opened(qtbot: Any, desk: Desk) -> DossierWindow:
    window = open_dossier(desk.ctx, desk.id)
    assert isinstance(window, DossierWindow)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    return window


def close(window: DossierWindow) -> None:
    window.close()


def test_detail_shows_the_dossier(qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    window = opened(qtbot, desk)
    try:
        doc = desk.doc
        assert window.header.code.text() == doc["code"]
        assert doc["procedure_code"] in window.header.procedure.text()
        assert "Đang xử lý" in window.header.status.text()
        assert "Đang thẩm định" in window.header.status.text()
        assert not window.header.badge.isVisible()  # synced
        fields = window.overview.fields
        applicant = doc["applicant"]
        assert fields["name"].text() == applicant["name"]
        assert fields["id_number"].text() == applicant["id_number"]
        assert fields["phone"].text() == applicant["phone"]
        assert fields["address"].text() == applicant["address"]
        assert fields["remaining"].text().startswith("còn ")
        assert "75.000 đ" in fields["fees"].text()
        table = window.documents.table
        assert table.rowCount() == 3
        assert table.item(1, 0).text() == "Ban-ve-thiet-ke.pdf"
        assert table.item(1, 1).text() == "2.3 MB"
        assert table.item(1, 2).text() == "Chưa tải về"
        timeline = window.timeline
        assert timeline.rowCount() == len(doc["history"])
        assert [timeline.verdict_at(r) for r in range(4)] == [None, "on_time", "early", "late"]
        assert timeline.item(3, 5).text() == "quá hạn"
        assert timeline.item(3, 5).foreground().color().name() == "#b3261e"
        assert window.notes.list.count() == 1
        # the toolbar offers what the domain allows for this officer and state now; the menu
        # also lists the officer's other actions, disabled
        toolbar = {a.data() for a in window.toolbar.actions()}
        assert toolbar == {"note", "request_documents", "submit_for_approval", "stop", "apology"}
        enabled = {a.data() for a in window.actions_list if a.isEnabled()}
        assert enabled == toolbar
        assert not window.actions_list.action_for("approve").isVisible()  # heads only
        assert not window.act_print_apology.isEnabled()  # no apology made yet
    finally:
        close(window)


def test_one_window_per_dossier(qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    window = opened(qtbot, desk)
    try:
        assert open_dossier(desk.ctx, desk.id) is window
        assert open_windows() == [window]
    finally:
        close(window)
    qtbot.waitUntil(lambda: open_windows() == [], timeout=5_000)


def test_a_note_shows_at_once_as_waiting_to_sync(qtbot: Any,
                                                 desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    window = opened(qtbot, desk)
    try:
        notes = window.notes
        assert not notes.add_button.isEnabled()
        notes.editor.setPlainText("Đã gọi điện cho người nộp")
        assert notes.add_button.isEnabled()
        with qtbot.waitSignal(window.loaded, timeout=10_000,
                              check_params_cb=lambda v: len(v.data["notes"]) == 2):
            qtbot.mouseClick(notes.add_button, Qt.MouseButton.LeftButton)
        assert [(e.action, e.payload) for e in desk.outbox()] == [
            ("note", {"text": "Đã gọi điện cho người nộp"})]
        item = notes.list.item(1)
        assert item.data(Qt.ItemDataRole.UserRole) == "pending"
        assert "đang chờ đồng bộ" in item.text()
        assert window.header.badge.isVisible()
        assert window.header.badge.text() == sync_state_name("pending")
        assert notes.editor.toPlainText() == ""
    finally:
        close(window)


def test_refreshes_on_dossiers_changed_with_the_optimistic_state(
        qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    window = opened(qtbot, desk)
    try:
        assert desk.ctx.engine is not None
        with qtbot.waitSignal(window.loaded, timeout=10_000,
                              check_params_cb=lambda v: v.data["step"] == "submitted_for_approval"):
            record_action(desk.ctx.engine, desk.id, "submit_for_approval",  # type: ignore[arg-type]
                          {"proposed_result": "Cấp phép", "decision": "grant"},
                          now=desk.ctx.clock())
        assert "Đã trình ký" in window.header.status.text()
        last = window.timeline.rowCount() - 1
        assert "(đang chờ đồng bộ)" in window.timeline.item(last, 3).text()
        assert window.timeline.item(last, 5).text() == "trước hạn"  # classified by the domain
        toolbar = {a.data() for a in window.toolbar.actions()}
        assert "submit_for_approval" not in toolbar
        assert not window.actions_list.action_for("submit_for_approval").isEnabled()
    finally:
        close(window)


def test_attach_result_offline_waits_to_sync(qtbot: Any, desk_factory: Callable[..., Desk],
                                             tmp_path: Path) -> None:
    desk = desk_factory()
    window = opened(qtbot, desk)
    try:
        result = tmp_path / "Giay-phep-xay-dung.pdf"
        result.write_bytes(b"%PDF-1.4 ket qua")
        with qtbot.waitSignal(window.loaded, timeout=10_000,
                              check_params_cb=lambda v: len(v.uploads) == 1):
            window.documents.attach_file(result)
        table = window.documents.table
        assert table.rowCount() == 4
        assert table.item(3, 0).text().startswith("Giay-phep-xay-dung.pdf")
        assert table.item(3, 2).text() == "Đang chờ đồng bộ"
        assert window.header.badge.text() == sync_state_name("pending")
        [entry] = desk.outbox()
        assert entry.action == "upload_result" and entry.payload["name"] == result.name
    finally:
        close(window)


def test_language_switch_retranslates(qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    window = opened(qtbot, desk)
    try:
        set_language("en")
        qtbot.waitUntil(lambda: window.tabs.tabText(2) == "Process-control slip", timeout=5_000)
        assert window.timeline.item(3, 5).text() == "late"
        assert window.actions_list.action_for("note").text() == "Add note…"
        assert window.overview.fields["remaining"].text().endswith(" left")
    finally:
        set_language("vi")
        close(window)
