"""Screenshots of the dossier screens (registered in :mod:`wfh_client.ui.screenshots`).

``dossier_detail`` (the window on its timeline tab), ``dossier_documents``,
``action_request_documents`` (the request-for-documents dialog, filled in) and
``slip_control`` / ``slip_apology`` (the printed A5 forms as PNG), in vi and en.

The showcase dossier is one of the screenshot cache's dossiers made rich (handovers with
verdicts, documents, notes, a pending note recorded offline); actions go through a real
:class:`~wfh_client.sync.engine.SyncEngine` whose transport is offline.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from wfh_client.domain import WorkingCalendar
from wfh_client.domain.timefmt import to_iso_utc
from wfh_client.store.dossiers import get_dossier, put_server_copy
from wfh_client.store.state import set_state
from wfh_client.sync.engine import KEY_PROFILE, SyncEngine
from wfh_client.sync.errors import ServerUnreachable
from wfh_client.sync.operations import record_action
from wfh_client.ui.context import AppContext
from wfh_client.ui.detail import open_dossier
from wfh_client.ui.detail.window import DossierWindow
from wfh_client.ui.dialogs.actions import open_action_dialog
from wfh_client.ui.dialogs.supplement import RequestDocumentsDialog
from wfh_client.ui.printing.output import render_page
from wfh_client.ui.printing.slips import apology_slip_html
from wfh_client.ui.screenshots import ShotContext, register

__all__ = ["OFFICER", "OfflineTransport", "rich_dossier"]

OFFICER = {"id": 7, "username": "cv.tnmt1", "full_name": "Trần Văn Bình",
           "title": "Chuyên viên", "role": "officer", "department_id": "dep-tnmt",
           "department_name": "Sở Tài nguyên và Môi trường"}


class OfflineTransport:
    """A transport with no network: every request fails as if the server were unreachable."""

    user: dict[str, Any] | None = OFFICER

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        raise ServerUnreachable(f"offline: {method} {path}")


def rich_dossier(base: dict[str, Any], calendar: WorkingCalendar, now: datetime) -> dict[str, Any]:
    """``base`` in review by the officer, with a full slip, three documents and a note."""
    doc = copy.deepcopy(base)
    received = calendar.next_working_instant(now - timedelta(days=9))
    due = calendar.add_working_time(received, days=15)
    step1 = calendar.add_working_time(received, hours=4)
    step2 = calendar.add_working_time(received, days=2)

    def at(days: float, hours: float = 0) -> datetime:
        return calendar.add_working_time(received, days=days, hours=hours)

    def row(i: int, when: datetime, who: str, title: str, dept: str, action: str, frm: Any,
            to: Any, steps: tuple[Any, Any], content: str, step_due: datetime | None,
            handed: str | None = None, verdict: str | None = None) -> dict[str, Any]:
        return {"id": f"h-show-{i}", "at": to_iso_utc(when), "actor_id": 100 + i,
                "actor_name": who, "actor_title": title, "department_name": dept,
                "action": action, "from_status": frm, "to_status": to, "from_step": steps[0],
                "to_step": steps[1], "handed_to_id": None, "handed_to_name": handed,
                "step_due_at": None if step_due is None else to_iso_utc(step_due),
                "content": content, "timeliness": verdict}

    one_stop, dept = "Bộ phận Một cửa", "Sở Tài nguyên và Môi trường"
    doc.update({
        "status": 4, "step": "in_review", "assignee_id": 7, "assignee_name": "Trần Văn Bình",
        "department_id": "dep-tnmt", "procedure_code": "1.009994.000.00.00.H57",
        "procedure_name": "Cấp giấy phép xây dựng nhà ở riêng lẻ", "field_name": "Xây dựng",
        "received_at": to_iso_utc(received), "due_at": to_iso_utc(due),
        "original_due_at": to_iso_utc(due), "allowed_hours": 15 * 8, "channel": "online",
        "summary": "Xin cấp giấy phép xây dựng nhà ở riêng lẻ 3 tầng, diện tích sàn 180 m²",
        "fees": [{"name": "Lệ phí cấp giấy phép xây dựng", "amount": 75000}],
        "documents": [
            {"id": "doc-show-1", "name": "Don-de-nghi-cap-GPXD.pdf", "kind": "submitted",
             "mime": "application/pdf", "size": 184_320, "sha256": "1" * 64},
            {"id": "doc-show-2", "name": "Ban-ve-thiet-ke.pdf", "kind": "submitted",
             "mime": "application/pdf", "size": 2_411_724, "sha256": "2" * 64},
            {"id": "doc-show-3", "name": "GCN-quyen-su-dung-dat.pdf", "kind": "submitted",
             "mime": "application/pdf", "size": 402_112, "sha256": "3" * 64}],
        "notes": [{"id": 901, "author_id": 12, "author_name": "Phạm Thị Lan",
                   "text": "Đã liên hệ chủ hộ, hẹn khảo sát thực địa sáng thứ Năm.",
                   "created_at": to_iso_utc(at(3)), "client_id": None}],
        "history": [
            row(1, received, "Lê Thị Hoa", "Chuyên viên Bộ phận Một cửa", one_stop, "accept", 1, 2,
                (None, "unassigned"), "Tiếp nhận hồ sơ, chuyển Sở Tài nguyên và Môi trường",
                None, handed="Phạm Thị Lan"),
            row(2, at(0, 3), "Phạm Thị Lan", "Trưởng phòng", dept, "assign", 2, 4,
                ("unassigned", "assigned"), "Phân công cán bộ xử lý", step1,
                handed="Trần Văn Bình", verdict="on_time"),
            row(3, at(1, 2), "Trần Văn Bình", "Chuyên viên", dept, "start_review", 4, 4,
                ("assigned", "in_review"), "Bắt đầu thẩm định hồ sơ", step2, verdict="early"),
            row(4, at(4), "Trần Văn Bình", "Chuyên viên", dept, "return_for_rework", 4, 4,
                ("in_review", "in_review"), "Xác minh thực địa, đối chiếu bản vẽ",
                at(3, 4), verdict="late"),
        ],
        "supplement_count": 0, "apology_count": 0, "clock_stopped_at": None,
        "proposed_decision": None, "late_flag": False,
    })
    return doc


def with_apology(doc: dict[str, Any], calendar: WorkingCalendar, now: datetime) -> dict[str, Any]:
    """``doc`` after an apology made ``now`` (for the Mẫu 04 picture)."""
    new = copy.deepcopy(doc)
    old_due = datetime.fromisoformat(str(doc["due_at"]))
    new_due = calendar.add_working_time(old_due, days=5)
    new.update({"original_due_at": doc["due_at"], "due_at": to_iso_utc(new_due),
                "apology_count": 1})
    new.setdefault("history", []).append({
        "id": "h-show-apology", "at": to_iso_utc(now), "action": "apology",
        "actor_name": "Trần Văn Bình", "content": "Xin lỗi và hẹn lại ngày trả kết quả. "
        "Lý do: Cần xác minh thực địa và lấy ý kiến hộ liền kề về ranh giới xây dựng."})
    return new


def engine_of_ctx(ctx: AppContext) -> SyncEngine:
    assert isinstance(ctx.engine, SyncEngine)
    return ctx.engine


def _context(shot: ShotContext) -> tuple[AppContext, dict[str, Any]]:
    base = shot.shell.ctx
    calendar = base.calendar
    doc = rich_dossier(shot.docs[5], calendar, shot.now)
    def write(db: Any) -> None:
        put_server_copy(db, doc)
        set_state(db, KEY_PROFILE, OFFICER)

    shot.cache.writer.run(write)
    engine = SyncEngine(OfflineTransport(), shot.cache, bus=base.bus)
    ctx = AppContext(cache=shot.cache, bus=base.bus, calendar=calendar, bridge=base.bridge,
                     config=base.config, engine=engine, user=OFFICER, clock=lambda: shot.now)
    return ctx, doc


def _window(shot: ShotContext) -> tuple[DossierWindow, AppContext, dict[str, Any]]:
    ctx, doc = _context(shot)
    record = get_dossier(shot.cache.reader(), doc["id"])
    notes = (record.data.get("notes") or []) if record is not None else []
    if not any(note.get("id") is None for note in notes):  # no note waiting to sync yet
        record_action(engine_of_ctx(ctx), doc["id"], "note",
                      {"text": "Đề nghị bổ sung bản vẽ mặt cắt trước khi trình ký."},
                      now=shot.now)
    window = open_dossier(ctx, doc["id"])
    assert isinstance(window, DossierWindow)
    window.resize(1200, 760)
    shot.wait(lambda: window.view is not None and window.notes.list.count() == 2)
    return window, ctx, doc


@register("dossier_detail")
def _detail(shot: ShotContext) -> None:
    window, _ctx, _doc = _window(shot)
    window.tabs.setCurrentWidget(window.overview)
    shot.save(window, "dossier_detail")
    window.tabs.setCurrentWidget(window.timeline)
    shot.save(window, "dossier_timeline")
    window.tabs.setCurrentWidget(window.documents)
    shot.save(window, "dossier_documents")
    window.tabs.setCurrentWidget(window.notes)
    shot.save(window, "dossier_notes")
    window.close()
    shot.settle()


@register("action_request_documents")
def _request_documents(shot: ShotContext) -> None:
    ctx, doc = _context(shot)
    dialog = open_action_dialog(ctx, "request_documents", doc["id"])
    assert isinstance(dialog, RequestDocumentsDialog)
    dialog.set_checked("Ban-ve-thiet-ke.pdf")
    dialog.extra.setPlainText("Bản vẽ mặt cắt công trình (bản chính)\n"
                              "Văn bản thỏa thuận của hộ liền kề")
    dialog.reason_box.setPlainText("Hồ sơ thiếu bản vẽ mặt cắt theo quy định.")
    dialog.adjustSize()
    shot.save(dialog, "action_request_documents")
    dialog.reject()
    shot.settle()


@register("slips")
def _slips(shot: ShotContext) -> None:
    window, ctx, _doc = _window(shot)
    agency = window.agency_name()
    apology = with_apology(window.view.data if window.view else {}, ctx.calendar, shot.now)
    pages = (("slip_control", window.slip_html("control")),
             ("slip_apology", apology_slip_html(apology, ctx.calendar, agency=agency,
                                                place="Mỹ Tho", issued=shot.now)))
    for name, html in pages:
        path = shot.out / f"{name}_{shot.language}.png"
        render_page(html, dpi=110).save(str(path))
        shot.saved.append(path)
    window.close()
    shot.settle()
