"""Screenshots of the shell's own screens (registered in :mod:`wfh_client.ui.screenshots`).

``login_dialog`` (with the server locked by the policy), ``login_error`` (a wrong password),
``first_sync`` (the first download half-way) and ``conflicts`` / ``rejected_changes`` (a real
conflict shape: the officer submitted for approval offline while the head stopped the dossier).
"""

from __future__ import annotations

import copy
import functools
from datetime import datetime, timedelta
from typing import Any

from wfh_client.store import outbox as store_outbox
from wfh_client.store.dossiers import put_server_copy, remove_dossier
from wfh_client.sync.errors import AuthFailed
from wfh_client.ui.first_sync_dialog import FirstSyncDialog
from wfh_client.ui.login_dialog import LoginDialog
from wfh_client.ui.messages import describe_error
from wfh_client.ui.screenshots import ShotContext, register

SERVER = "https://motcua.tiengiang.gov.vn"


def _iso(value: Any) -> str:
    return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))


@register("login_dialog")
def _login(shot: ShotContext) -> None:
    dialog = LoginDialog(lambda *_a: None, server_url=SERVER, server_locked=True,
                         username="cv.tnmt1")
    dialog.show()
    dialog.adjustSize()
    dialog.password.setText("secret-pw")
    shot.save(dialog, "login_dialog")
    dialog.show_error(describe_error(AuthFailed(401, "auth.invalid_credentials", "")))
    dialog.adjustSize()
    shot.save(dialog, "login_error")
    dialog.close()
    dialog.deleteLater()


@register("first_sync")
def _first_sync(shot: ShotContext) -> None:
    dialog = FirstSyncDialog(shot.shell.sync, user_name="Trần Văn Bình")
    dialog.show()
    dialog._on_progress(1_500, 2_600, "snapshot")
    dialog.adjustSize()
    shot.save(dialog, "first_sync")
    dialog.hide()
    dialog.deleteLater()


def _make_conflict(shot: ShotContext) -> None:
    """An officer's submission made offline while the head stopped the dossier."""
    cache = shot.cache
    if any(c.client_id for c in store_outbox.open_conflicts(cache.reader())):
        return  # made by the first language's pass
    for c in store_outbox.open_conflicts(cache.reader()):  # the list screenshot's placeholder
        cache.write(functools.partial(store_outbox.resolve_conflict, conflict_id=c.id,
                                      resolution="dropped"))
    base = copy.deepcopy(sorted(shot.docs, key=lambda d: d["due_at"])[40])
    base.update(status=4, step="in_review", version=3)
    at = shot.now - timedelta(hours=2)
    mine = copy.deepcopy(base)
    mine.update(step="submitted_for_approval")
    mine["history"] = [*base["history"], {
        "id": None, "at": _iso(at), "actor_id": 7, "actor_name": "Trần Văn Bình",
        "actor_title": "Chuyên viên", "department_name": "Phòng Tài nguyên và Môi trường",
        "action": "submit_for_approval", "from_status": 4, "to_status": 4,
        "from_step": "in_review", "to_step": "submitted_for_approval", "handed_to_id": None,
        "handed_to_name": None, "step_due_at": None, "content": "Trình ký", "timeliness": None}]
    mine["notes"] = [{"id": None, "client_id": "n-local-1", "author_id": 7,
                      "author_name": "Trần Văn Bình", "text": "Đã kiểm tra thực địa, đủ điều kiện.",
                      "created_at": _iso(at)}]
    theirs = copy.deepcopy(base)
    theirs.update(status=8, version=4)
    theirs["history"] = [*base["history"], {
        "id": 99, "at": _iso(at + timedelta(minutes=30)), "actor_id": 3,
        "actor_name": "Nguyễn Thị Lan", "actor_title": "Trưởng phòng",
        "department_name": "Phòng Tài nguyên và Môi trường", "action": "stop",
        "from_status": 4, "to_status": 8, "from_step": "in_review", "to_step": "in_review",
        "handed_to_id": None, "handed_to_name": None, "step_due_at": None,
        "content": "Dừng xử lý hồ sơ. Lý do: đất đang có tranh chấp", "timeliness": None}]
    theirs["notes"] = [{"id": 501, "client_id": None, "author_id": 3,
                        "author_name": "Nguyễn Thị Lan", "text": "Có đơn tranh chấp của hộ liền kề.",
                        "created_at": _iso(at + timedelta(minutes=25))}]
    by_due = sorted(shot.docs, key=lambda d: d["due_at"])
    rejected_doc, reassigned_doc = by_due[41], by_due[57]

    def when(i: int) -> datetime:  # on the screenshots' clock
        return at - timedelta(hours=20 - i * 7)

    def write(db: Any) -> None:
        put_server_copy(db, theirs, data=mine, local_state="conflict")
        entry = store_outbox.enqueue(db, base["id"], "submit_for_approval",
                                     {"proposed_result": "Cấp GCN", "decision": "grant"}, 3,
                                     created_at=when(0))
        store_outbox.mark(db, entry.client_id, "conflict", last_error_code="wrong_status",
                          last_error_message="")
        store_outbox.record_conflict(db, base["id"], entry.client_id, mine, theirs)
        bad = store_outbox.enqueue(db, rejected_doc["id"], "apology",
                                   {"reason": "Chờ xác minh", "new_due_at": "2026-04-20T10:00:00Z"},
                                   2, created_at=when(1))
        store_outbox.mark(db, bad.client_id, "invalid", last_error_code="apology_already_made",
                          last_error_message="A new appointment date may be set only once.")
        # a note on a dossier the head then reassigned: it left this cache, its code stays
        gone = store_outbox.enqueue(db, reassigned_doc["id"], "note",
                                    {"text": "Bổ sung bản vẽ"}, 5, created_at=when(2))
        remove_dossier(db, reassigned_doc["id"])
        store_outbox.mark(db, gone.client_id, "rejected", last_error_code="out_of_scope",
                          last_error_message="The dossier is not in your scope.")

    cache.write(write)


@register("conflicts")
def _conflicts(shot: ShotContext) -> None:
    _make_conflict(shot)
    view = shot.shell.window.open_conflicts()
    view.resize(1100, 600)
    shot.wait(lambda: view.conflict_list.count() == 1)
    view.keep_mine_button.setEnabled(True)  # no engine in screenshots; as in the real app
    view.take_theirs_button.setEnabled(True)
    shot.save(view, "conflicts")
    view.tabs.setCurrentIndex(1)
    shot.save(view, "rejected_changes")
    view.close()
