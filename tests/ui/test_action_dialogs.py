"""Every action dialog: valid input enables OK and records exactly one outbox entry with the
right payload; invalid input shows the domain's reason and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import NOW
from tests.ui.dossier_fixtures import HEAD, Desk, desk_fixture  # noqa: F401 - the desk_factory fixture
from wfh_client.domain import ActionError, ActionType
from wfh_client.domain.timefmt import parse_instant
from wfh_client.ui.dialogs.actions import DIALOGS, build_dossier_actions, open_action_dialog
from wfh_client.ui.dialogs.apology import ApologyDialog
from wfh_client.ui.dialogs.assign import AssignDialog
from wfh_client.ui.dialogs.base import ActionDialog
from wfh_client.ui.dialogs.common import reason_text
from wfh_client.ui.dialogs.supplement import RequestDocumentsDialog

STOPPED = {"status": 5, "clock_stopped_at": "2026-03-05T03:00:00Z", "supplement_count": 1}
READY = {"status": 9, "step": "approved", "finished_at": "2026-03-09T03:00:00Z"}
SUBMITTED = {"step": "submitted_for_approval", "proposed_decision": "grant"}


def reason(code: str) -> str:
    return reason_text(ActionError(code, ""))


def record(qtbot: Any, dialog: ActionDialog) -> None:
    assert dialog.ok_button.isEnabled(), dialog.reason.text()
    with qtbot.waitSignal(dialog.recorded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def fill_text(attr: str, text: str) -> Callable[[Any], None]:
    return lambda d: getattr(d, attr).setPlainText(text)


# (action, user, dossier changes, invalid fill, invalid code, valid fill, expected payload)
CASES: list[tuple[str, dict[str, Any] | None, dict[str, Any], Callable[[Any], None], str,
                  Callable[[Any], None], dict[str, Any]]] = [
    ("note", None, {}, fill_text("text", "   "), "text_required",
     fill_text("text", " Gọi lại cho chủ hộ "), {"text": "Gọi lại cho chủ hộ"}),
    ("start_review", None, {"step": "in_review"}, lambda d: None, "wrong_status",
     lambda d: None, {}),
    ("submit_for_approval", None, {}, fill_text("result_text", ""), "proposed_result_required",
     lambda d: (d.result_text.setPlainText("Dự thảo giấy phép"), d.refuse.setChecked(True)),
     {"proposed_result": "Dự thảo giấy phép", "decision": "refuse"}),
    ("stop", None, {}, fill_text("text", ""), "reason_required",
     fill_text("text", "Không đủ điều kiện"), {"reason": "Không đủ điều kiện"}),
    ("refuse", None, {}, fill_text("text", "Thiếu hồ sơ"), "wrong_status",
     fill_text("text", "Thiếu hồ sơ"), {"reason": "Thiếu hồ sơ"}),
    ("documents_received", None, STOPPED, lambda d: None, "", lambda d: None, {}),
    ("return_result", None, READY,
     lambda d: (d.channel.setCurrentIndex(d.channel.findData("post")), d.tracking.setText("")),
     "tracking_number_required",
     lambda d: (d.channel.setCurrentIndex(d.channel.findData("post")),
                d.tracking.setText("EL123456789VN")),
     {"channel": "post", "tracking_number": "EL123456789VN"}),
    ("approve", HEAD, {}, lambda d: None, "wrong_status", lambda d: None, {}),
    ("return_for_rework", HEAD, SUBMITTED, fill_text("text", ""), "comment_required",
     fill_text("text", "Bổ sung căn cứ pháp lý"), {"comment": "Bổ sung căn cứ pháp lý"}),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_dialog_validates_with_the_domain_and_records_one_entry(
        qtbot: Any, desk_factory: Callable[..., Desk], case: Any) -> None:
    action, user, changes, bad, bad_code, good, payload = case
    kwargs = {"user": user} if user else {}
    # "invalid" states (wrong_status) are shown on a dossier the action does not fit
    wrong = {"refuse": {}, "approve": {}, "start_review": {"step": "in_review"}}
    desk = desk_factory(**kwargs, **(wrong.get(action, changes)))
    if bad_code:
        dialog = open_action_dialog(desk.ctx, action, desk.id)
        bad(dialog)
        dialog.changed()
        assert not dialog.ok_button.isEnabled()
        assert dialog.reason.text() == reason(bad_code)
        dialog.accept()  # even forced, nothing is recorded
        assert desk.outbox() == []
        dialog.reject()
    fixed = {"refuse": {"status": 2, "step": "unassigned"}, "approve": SUBMITTED,
             "start_review": {"step": "assigned"}}
    desk = desk_factory(**kwargs, **(fixed.get(action, changes)))
    dialog = open_action_dialog(desk.ctx, action, desk.id)
    good(dialog)
    dialog.changed()
    assert dialog.reason.text() == ""
    record(qtbot, dialog)
    entries = desk.outbox()
    assert [(e.action, e.payload, e.state) for e in entries] == [(action, payload, "pending")]
    assert desk.local_state() == "pending"


def test_request_documents_checklist_free_lines_and_warning(
        qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    dialog = open_action_dialog(desk.ctx, "request_documents", desk.id)
    assert isinstance(dialog, RequestDocumentsDialog)
    names = [dialog.checklist.item(i).text() for i in range(dialog.checklist.count())]
    assert names == [d["name"] for d in desk.doc["documents"]]
    assert "một lần" in dialog.findChild(type(dialog.intro), "supplementWarning").text()
    assert not dialog.ok_button.isEnabled()
    assert dialog.reason.text() == reason("missing_required")
    dialog.set_checked("Ban-ve-thiet-ke.pdf")
    dialog.extra.setPlainText("Bản vẽ mặt cắt\n\n  Văn bản thỏa thuận  \nban ve mat cat")
    dialog.reason_box.setPlainText("Thiếu bản vẽ")
    record(qtbot, dialog)
    [entry] = desk.outbox()
    # the domain strips, drops empty lines and de-duplicates without diacritics
    assert entry.payload == {"missing": ["Ban-ve-thiet-ke.pdf", "Bản vẽ mặt cắt",
                                         "Văn bản thỏa thuận"],
                             "reason": "Thiếu bản vẽ"}
    local = desk.local()
    assert local["status"] == 5 and local["supplement_count"] == 1
    assert local["clock_stopped_at"] is not None


def test_a_second_request_warns_that_it_counts_as_late(
        qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory(supplement_count=1)
    dialog = open_action_dialog(desk.ctx, "request_documents", desk.id)
    warning = dialog.findChild(type(dialog.intro), "supplementWarning").text()
    assert "QUÁ HẠN" in warning.upper()


def test_apology_rules_and_dates(qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    dialog = open_action_dialog(desk.ctx, "apology", desk.id)
    assert isinstance(dialog, ApologyDialog)
    due = parse_instant(desk.doc["due_at"])
    tz = desk.ctx.calendar.tz
    assert due.astimezone(tz).strftime("%d/%m/%Y %H:%M") in dialog.rules.text()
    dialog.reason_box.setPlainText("Cần xác minh thực địa")
    dialog.set_new_date(due - timedelta(hours=1))
    assert not dialog.ok_button.isEnabled()
    assert dialog.reason.text() == reason("new_date_not_later")
    later = desk.ctx.calendar.add_working_time(due, days=5)
    dialog.set_new_date(later)
    record(qtbot, dialog)
    [entry] = desk.outbox()
    assert parse_instant(entry.payload["new_due_at"]) == later.replace(second=0, microsecond=0)
    assert entry.payload["reason"] == "Cần xác minh thực địa"
    assert desk.local()["apology_count"] == 1

    again = ApologyDialog(desk.ctx, desk.id)  # the new date may be set only once
    qtbot.addWidget(again)
    again.reason_box.setPlainText("Lần hai")
    assert not again.ok_button.isEnabled()
    assert again.reason.text() == reason("apology_already_made")


def test_apology_too_close_to_the_due_date(qtbot: Any,
                                           desk_factory: Callable[..., Desk]) -> None:
    due = desk_factory().ctx.calendar.add_working_time(NOW, hours=3)
    desk = desk_factory(due_at=due.isoformat())
    dialog = ApologyDialog(desk.ctx, desk.id)
    qtbot.addWidget(dialog)
    dialog.reason_box.setPlainText("Chậm")
    assert not dialog.ok_button.isEnabled()
    assert dialog.reason.text() == reason("apology_too_late")


def test_assign_offline_uses_cached_names(qtbot: Any,
                                          desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory(user=HEAD, step="assigned")  # reassign: names come from the cache
    dialog = open_action_dialog(desk.ctx, "assign", desk.id)
    assert isinstance(dialog, AssignDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    assert "ngoại tuyến" in dialog.source.text()
    assert dialog.officer.currentData() == 7  # the current assignee is preselected
    dialog.officer.setCurrentIndex(0)
    assert not dialog.ok_button.isEnabled()
    assert dialog.reason.text() == reason("assignee_id_required")
    index = dialog.officer.findData(7)
    assert index > 0, [dialog.officer.itemText(i) for i in range(dialog.officer.count())]
    dialog.officer.setCurrentIndex(index)
    record(qtbot, dialog)
    assert [e.payload for e in desk.outbox()] == [{"assignee_id": 7}]


def test_the_domain_refusing_at_record_time_shows_its_reason(
        qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    desk = desk_factory()
    dialog = open_action_dialog(desk.ctx, "stop", desk.id)
    dialog.text.setPlainText("Không đủ điều kiện")
    assert dialog.ok_button.isEnabled()
    changed = {**desk.doc, "status": 10}  # meanwhile the result was returned (another window)
    desk.cache.writer.run(lambda db: __import__(
        "wfh_client.store.dossiers", fromlist=["x"]).put_server_copy(db, changed))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.reason.text() == reason("wrong_status"), timeout=10_000)
    assert desk.outbox() == []


def test_actions_follow_allowed_actions_and_have_shortcuts(
        qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    from PySide6.QtWidgets import QWidget

    desk = desk_factory()
    host = QWidget()
    qtbot.addWidget(host)
    current: list[str | None] = [desk.id]
    actions = build_dossier_actions(desk.ctx, host, lambda: current[0])
    assert len(actions) == len(DIALOGS) == len(ActionType)
    assert all(not a.shortcut().isEmpty() and a.text() for a in actions)
    assert len({a.shortcut().toString() for a in actions}) == len(actions)
    enabled = {a.data() for a in actions if a.isEnabled()}
    assert enabled == {"note", "request_documents", "submit_for_approval", "stop", "apology"}
    assert actions.action_for("note").text() == "Thêm ghi chú…"
    actions.action_for("note").trigger()
    assert actions.last_dialog is not None and actions.last_dialog.kind is ActionType.NOTE
    actions.last_dialog.reject()
    current[0] = None
    assert actions.update_enabled() == []
    assert not any(a.isEnabled() for a in actions)


def test_apology_extension_of_exactly_five_working_days(
        qtbot: Any, desk_factory: Callable[..., Desk]) -> None:
    """The due instant has seconds (from the server), the picker has minutes: choosing the same
    minute five working days later must read "5 ngày", not "4 ngày 7 giờ" (issue 12.6)."""
    from wfh_client.domain.timefmt import to_iso_utc
    from wfh_client.ui.i18n import format_remaining

    calendar = desk_factory().ctx.calendar
    due = calendar.add_working_time(NOW, days=6).replace(second=27)
    desk = desk_factory(due_at=to_iso_utc(due))
    dialog = ApologyDialog(desk.ctx, desk.id)
    qtbot.addWidget(dialog)
    dialog.set_new_date(calendar.add_working_time(due, days=5))
    five = format_remaining(timedelta(hours=40), calendar.hours_per_day)
    assert five == "5 ngày"
    assert dialog.extension.text() == dialog.tr("%1 of working time later").replace("%1", five)
