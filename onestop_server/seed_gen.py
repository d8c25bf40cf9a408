"""Row generation for ``seed``: citizens, dossiers and their process-control slips, PDFs.

``Generator(seed, now, calendar, staff, pool)``: ``plan(n)`` draws every dossier's procedure,
state and receipt (sorted, with codes), ``build(head)`` the rest as plain row dicts ready for
bulk inserts (all times UTC). Each dossier first draws a target state of the workflow, then a
receipt instant on a working day chosen so that open dossiers land overdue, due within 1-3
working days or comfortably ahead, then the slip rows leading to that state, placed in working
time between the receipt and ``now`` with ``WorkingCalendar.add_working_time``.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from onestop_server import seed_data as V
from onestop_server.seed_data import Department, Procedure
from wfh_client.domain.calendar import WorkingCalendar
from wfh_client.domain.folding import fold
from wfh_client.domain.slip import format_local

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
POOL_SIZE = 20
_PDF_DATE = datetime(2025, 1, 2, tzinfo=UTC)

#: target state -> weight; open states stay in the scope of the officer/head
STATES = (("unassigned", 8), ("assigned", 13), ("in_review", 20), ("submitted", 9),
          ("rework", 4), ("supplement", 7), ("ready", 12), ("returned", 16), ("stopped", 4),
          ("refused", 3), ("withdrawn", 3))
OPEN = frozenset({"unassigned", "assigned", "in_review", "submitted", "rework", "supplement"})
#: state -> chain of slip actions after "receive" (desk) and "handover" (desk -> department)
CHAINS: dict[str, tuple[str, ...]] = {
    "unassigned": (),
    "assigned": ("assign",),
    "in_review": ("assign", "start_review"),
    "submitted": ("assign", "start_review", "submit_for_approval"),
    "rework": ("assign", "start_review", "submit_for_approval", "return_for_rework"),
    "supplement": ("assign", "start_review", "request_documents"),
    "ready": ("assign", "start_review", "submit_for_approval", "approve"),
    "returned": ("assign", "start_review", "submit_for_approval", "approve", "return_result"),
    "stopped": ("assign", "start_review", "submit_for_approval", "approve"),
    "withdrawn": ("assign", "withdraw"),
}
GAP_WEIGHT = {"assign": 0.3, "start_review": 0.6, "submit_for_approval": 5.0,
              "return_for_rework": 1.5, "request_documents": 3.0, "approve": 1.5,
              "return_result": 1.0, "withdraw": 2.0}
# (status, step) after each action
AFTER = {"handover": (2, "unassigned"), "assign": (4, "assigned"),
         "start_review": (4, "in_review"), "submit_for_approval": (4, "submitted_for_approval"),
         "return_for_rework": (4, "returned_for_rework"), "request_documents": (5, "in_review"),
         "approve": (9, "approved"), "return_result": (10, "approved")}


@dataclass
class Staff:
    department: Department
    head_id: int
    head_name: str
    officer_ids: list[int]
    officer_names: list[str]


@dataclass
class Head:
    """What pass 1 decides about a dossier (see ``Generator.plan``)."""

    id: str
    proc: Procedure
    state: str
    received: datetime
    seed: int
    code: str = ""
    seq: int = 0


def _ascii(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


@lru_cache(maxsize=1)
def pdf_pool() -> list[tuple[bytes, str]]:
    """``POOL_SIZE`` small distinct, deterministic PDFs as (content, sha256 hex)."""
    import hashlib

    from fpdf import FPDF

    unicode_font = FONT.exists()
    out: list[tuple[bytes, str]] = []
    for i in range(POOL_SIZE):
        pdf = FPDF(format="A4")
        pdf.set_creation_date(_PDF_DATE)
        pdf.set_title(f"Tai lieu mau {i + 1}")
        if unicode_font:
            pdf.add_font("DejaVu", fname=str(FONT))
            font = "DejaVu"
        else:
            font = "Helvetica"
        pdf.add_page()

        def line(text: str, size: int, *, pdf: Any = pdf, font: str = font) -> None:
            pdf.set_font(font, size=size)
            shown = text if unicode_font else fold(text).upper() if text.isupper() else fold(text)
            pdf.multi_cell(0, size * 0.6, shown, new_x="LMARGIN", new_y="NEXT", align="C")

        line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 10)
        line("Độc lập - Tự do - Hạnh phúc", 10)
        pdf.ln(6)
        line(V.PDF_TITLES[i % len(V.PDF_TITLES)], 14)
        line(f"(Tài liệu mẫu số {i + 1:02d} - dữ liệu minh họa)", 9)
        pdf.ln(4)
        body = (f"Kính gửi: {V.DESK_NAME}. Bản scan giấy tờ kèm theo hồ sơ thủ tục hành chính. "
                f"Nội dung chỉ dùng cho mục đích trình diễn; trang {i + 1}.")
        pdf.set_font(font, size=9)
        pdf.multi_cell(0, 5, body if unicode_font else fold(body))
        content = bytes(pdf.output())
        out.append((content, hashlib.sha256(content).hexdigest()))
    return out


class Generator:
    def __init__(
        self, seed: int, now: datetime, calendar: WorkingCalendar, staff: list[Staff],
        pool: list[tuple[int, str]], *, only_department: str | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.cal = calendar
        self.tz = calendar.tz
        self.pool = pool
        self.staff = {s.department.id: s for s in staff}
        procs = [p for p in V.PROCEDURES if only_department in (None, p.department_id)]
        self.procs = procs
        self.proc_weights = [p.weight for p in procs]
        self.states = [s for s, _ in STATES]
        self.state_weights = [w for _, w in STATES]
        self.days = self._working_days(90)  # most recent last; days[-1] <= today (local)
        self.depts = {d.id: d for d in V.DEPARTMENTS}
        self.first_officer_due = {d.id: 2 for d in V.DEPARTMENTS}

    def _working_days(self, count: int) -> list[date]:
        d = self.now.astimezone(self.tz).date()
        days: list[date] = []
        while len(days) < count:
            if self.cal.is_working_day(d):
                days.append(d)
            d -= timedelta(days=1)
        return days[::-1]

    # ---- people ------------------------------------------------------------------------------
    def _person(self) -> tuple[str, bool]:
        r = self.rng
        male = r.random() < 0.5
        family = r.choices(V.FAMILY, V.FAMILY_WEIGHTS)[0]
        middle = r.choice(V.MIDDLE_MALE if male else V.MIDDLE_FEMALE)
        given = r.choice(V.GIVEN_MALE if male else V.GIVEN_FEMALE)
        return f"{family} {middle} {given}", male

    def _digits(self, n: int) -> str:
        return f"{self.rng.randrange(10**n):0{n}d}"

    def _place(self) -> tuple[str, str, str]:
        """(address, place for summaries, street)."""
        r = self.rng
        commune, town = r.choice(V.PLACES)
        street = r.choice(V.STREETS)
        if commune.startswith("xã"):
            address = f"{r.choice(V.HAMLETS)}, {commune}, {town}, {V.PROVINCE}"
        else:
            address = f"Số {r.randint(1, 420)}, đường {street}, {commune}, {town}, {V.PROVINCE}"
        return address, f"{commune}, {town}", street

    def _applicant(self, proc: Procedure) -> tuple[dict[str, Any], dict[str, str]]:
        r = self.rng
        address, place, street = self._place()
        phone = r.choice(V.PHONE_PREFIXES) + self._digits(7)
        words: dict[str, str] = {"place": place, "street": street, "n": str(r.randint(1, 420)),
                                 "parcel": str(r.randint(12, 980)), "sheet": str(r.randint(1, 62)),
                                 "shop": r.choice(V.SHOP_NAMES)}
        if r.random() < proc.business:
            name = (f"{r.choice(V.COMPANY_KINDS)} {r.choice(V.COMPANY_TRADES)} "
                    f"{r.choice(V.COMPANY_NAMES)}")
            email: str | None = f"lienhe@{_ascii(name.split(' ', 2)[-1])[-14:]}.vn"
            applicant = {"name": name, "type": "business", "id_number": "12" + self._digits(8),
                         "email": email, "phone": phone, "address": address}
            words.update(name=name, title="", child="")
            return applicant, words
        name, male = self._person()
        year = r.randint(1950, 2005)
        gender_digit = (0 if male else 1) + (2 if year >= 2000 else 0)
        cccd = f"082{gender_digit}{year % 100:02d}{self._digits(6)}"
        email = None
        if r.random() < 0.65:
            parts = name.split()
            email = (f"{_ascii(parts[-1])}{_ascii(parts[0])}{r.randint(1, 99)}"
                     f"@{r.choice(V.EMAIL_DOMAINS)}")
        applicant = {"name": name, "type": "citizen", "id_number": cccd, "email": email,
                     "phone": phone, "address": address}
        child, _ = self._person()
        words.update(name=name, title="ông" if male else "bà",
                     child=f"{name.split()[0]} {' '.join(child.split()[1:])}")
        return applicant, words

    # ---- time --------------------------------------------------------------------------------
    def _instant_on(self, day: date) -> datetime:
        minute = self.rng.randrange(480)
        start = time(7, 0) if minute < 270 else time(13, 30)
        offset = minute if minute < 270 else minute - 270
        local = datetime.combine(day, start, tzinfo=self.tz) + timedelta(
            minutes=offset, seconds=self.rng.randrange(60))
        return local.astimezone(UTC)

    def _receipt(self, k: int) -> datetime:
        k = max(0, min(k, len(self.days) - 2))
        at = self._instant_on(self.days[-1 - k])
        while at > self.now - timedelta(minutes=20) and k < len(self.days) - 2:
            k += 1
            at = self._instant_on(self.days[-1 - k])
        return at

    def _after(self, start: datetime, hours: float) -> datetime:
        return self.cal.add_working_time(start, hours=max(hours, 0.0)).astimezone(UTC).replace(
            microsecond=0)

    # ---- dossiers ----------------------------------------------------------------------------
    def plan(self, count: int) -> list[Head]:
        """Pass 1: procedure, state, id and receipt of every dossier, in receipt order, with
        codes and change-log seqs; the details come from ``build`` with each head's own seed
        so that dossiers can be built (and dropped) a chunk at a time."""
        r = self.rng
        heads: list[Head] = []
        for _ in range(count):
            proc = r.choices(self.procs, self.proc_weights)[0]
            state = r.choices(self.states, self.state_weights)[0]
            dossier_id = str(uuid.UUID(int=r.getrandbits(128), version=4))
            received = self._receipt(self._k_for(state, proc.working_hours / 8))
            heads.append(Head(dossier_id, proc, state, received, r.getrandbits(64)))
        heads.sort(key=lambda h: (h.received, h.id))
        daily: dict[tuple[str, date], int] = defaultdict(int)
        for seq, h in enumerate(heads, start=1):
            office = self.depts[h.proc.department_id].office_code
            day = h.received.astimezone(self.tz).date()
            daily[(office, day)] += 1
            h.code = f"{office}-{day:%y%m%d}-{daily[(office, day)]:04d}"
            h.seq = seq
        return heads

    def build(self, head: Head) -> dict[str, Any]:
        """Pass 2: the dossier row with its ``_history``, ``_documents``, ``_notes`` rows."""
        self.rng = random.Random(head.seed)
        d = self._dossier(head)
        d["code"], d["seq"] = head.code, head.seq
        return d

    @staticmethod
    def change_row(d: dict[str, Any]) -> dict[str, Any]:
        withdrawn = d["status"] == 7
        return {"seq": d["seq"], "dossier_id": d["id"],
                "department_id": None if withdrawn else d["department_id"],
                "assignee_id": None if withdrawn else d["assignee_id"],
                "prev_department_id": None, "prev_assignee_id": None, "at": d["updated_at"]}

    def _k_for(self, state: str, days_needed: float) -> int:
        r = self.rng
        if state == "unassigned":
            return r.choice((0, 0, 1))
        if state not in OPEN:
            return r.randint(min(44, math.ceil(days_needed * 1.15) + 1), 45)
        roll = r.random()
        need = math.ceil(days_needed)
        if roll < 0.2:  # overdue
            return need + r.randint(1, 6)
        if roll < 0.47:  # due within 1-3 working days
            return max(0, need - r.randint(1, 3))
        return r.randint(0, max(0, need - 4))

    def _dossier(self, head: Head) -> dict[str, Any]:
        r = self.rng
        proc, state, dossier_id, received = head.proc, head.state, head.id, head.received
        staff = self.staff[proc.department_id]
        applicant, words = self._applicant(proc)
        channel = r.choices(("counter", "online", "post"), (55, 35, 10))[0]
        wh = proc.working_hours
        avail = self.cal.working_time_between(received, self.now) / timedelta(hours=1)
        due: datetime | None = self._after(received, wh)
        data: dict[str, Any] = {
            "channel": channel, "applicant": applicant,
            "summary": proc.summary.format(**words),
            "result_method": r.choices(("counter", "post", "online"), (60, 25, 15))[0],
            "fees": [{"name": n, "amount": a} for n, a in proc.fees],
            "original_due_at": None, "late_flag": False, "proposed_decision": None,
        }
        weights = [3.0, 2.0, 2.0, 1.5, 1.5][: len(staff.officer_ids)]
        officer_ix = r.choices(range(len(staff.officer_ids)), weights)[0]
        if state in OPEN and state != "unassigned" and self.first_officer_due[proc.department_id]:
            self.first_officer_due[proc.department_id] -= 1  # cv.<dept>1 always has open work
            officer_ix = 0
        officer_id, officer_name = staff.officer_ids[officer_ix], staff.officer_names[officer_ix]
        rows: list[dict[str, Any]] = []

        def row(action: str, at: datetime, actor: int | None, frm: tuple[int | None, str | None],
                to: tuple[int, str | None], content: str, step_due: datetime | None = None,
                handed_to: int | None = None) -> None:
            details = None
            if actor is None:
                clerk = V.DESK_CLERKS[len(rows) % len(V.DESK_CLERKS)]
                details = {"actor_name": clerk[0], "actor_title": clerk[1],
                           "department_name": V.DESK_NAME}
            rows.append({"dossier_id": dossier_id, "at": at, "actor_id": actor, "action": action,
                         "from_status": frm[0], "to_status": to[0], "from_step": frm[1],
                         "to_step": to[1], "handed_to_id": handed_to, "step_due_at": step_due,
                         "content": content, "details": details})

        status: int
        step: str | None
        finished = returned = stopped_clock = None
        supplement_count = apology_count = 0
        assignee: int | None = None
        if state == "refused":
            due = None
            at = self._after(received, r.uniform(0.1, 2.0))
            status, step, finished = 3, None, at
            row("refuse", at, None, (1, None), (3, None),
                f"Không tiếp nhận hồ sơ. Lý do: {r.choice(V.REFUSE_REASONS)}")
        else:
            assert due is not None
            row("receive", received, None, (1, None), (2, None),
                f"Tiếp nhận hồ sơ, hẹn trả kết quả: {format_local(self.cal, due)}")
            chain = CHAINS[state]
            if state in OPEN or state == "withdrawn":
                span = max(avail * r.uniform(0.55, 0.97), 0.05)
            else:
                span = min(avail * 0.97, wh * r.uniform(0.35, 1.12))
            h0 = min(r.uniform(0.1, 3.0) if r.random() < 0.9 else r.uniform(4, 7), span * 0.3)
            handover = self._after(received, h0)
            row("handover", handover, None, (2, None), AFTER["handover"],
                f"Chuyển hồ sơ đến {staff.department.name}", self._after(received, 4),
                staff.head_id)
            status, step = AFTER["handover"]
            gaps = [GAP_WEIGHT[a] * r.uniform(0.5, 1.5) for a in chain]
            total = sum(gaps) or 1.0
            pos, prev_at = h0, handover
            decision = "refuse" if state == "stopped" else "grant"
            for action, gap in zip(chain, gaps, strict=True):
                pos += (span - h0) * gap / total
                at = max(self._after(received, pos), prev_at)
                frm = (status, step)
                if action == "assign":
                    assignee = officer_id
                    row(action, at, staff.head_id, frm, AFTER[action],
                        f"Phân công cán bộ xử lý: {officer_name}",
                        self._after(handover, 16), officer_id)
                elif action == "start_review":
                    row(action, at, officer_id, frm, AFTER[action], "Bắt đầu thẩm định hồ sơ",
                        self._after(prev_at, 16))
                elif action == "request_documents":
                    missing = "; ".join(r.sample(V.MISSING_ITEMS, r.randint(1, 2)))
                    row(action, at, officer_id, frm, AFTER[action],
                        f"Yêu cầu bổ sung: {missing}. Lý do: Hồ sơ chưa đủ thành phần", due)
                    stopped_clock, supplement_count = at, 1
                elif action == "submit_for_approval":
                    label = "giải quyết" if decision == "grant" else "từ chối"
                    text = (f"Dự thảo kết quả {proc.name.lower()}" if decision == "grant"
                            else r.choice(V.STOP_REASONS))
                    row(action, at, officer_id, frm, AFTER[action],
                        f"Trình ký (đề xuất {label}): {text}", self._after(received, wh * 0.8))
                    data["proposed_decision"] = decision
                elif action == "return_for_rework":
                    row(action, at, staff.head_id, frm, AFTER[action],
                        f"Trả lại để xử lý lại: {r.choice(V.REWORK_COMMENTS)}", due)
                    data["proposed_decision"] = None
                elif action == "approve":
                    to = (8, "approved") if decision == "refuse" else AFTER[action]
                    text = ("Phê duyệt đề xuất từ chối; dừng xử lý" if decision == "refuse"
                            else "Phê duyệt kết quả")
                    row(action, at, staff.head_id, frm, to, text, due)
                    finished = at
                    status, step = to
                    prev_at = at
                    continue
                elif action == "return_result":
                    method = data["result_method"]
                    text = {"counter": "Trả kết quả tại Bộ phận Một cửa",
                            "online": "Trả kết quả trực tuyến",
                            "post": f"Trả kết quả qua bưu chính (mã vận đơn "
                                    f"EB{self._digits(9)}VN)"}[method]
                    row(action, at, None, frm, AFTER[action], text)
                    data["result_channel"] = method
                    returned = at
                elif action == "withdraw":
                    row(action, at, None, frm, (7, step), "Công dân yêu cầu rút hồ sơ")
                    finished = at
                    status = 7
                    prev_at = at
                    continue
                status, step = AFTER[action]
                prev_at = at
            if state in ("in_review", "submitted", "rework") and r.random() < 0.3:
                due, made = self._apology(rows, received, wh, due, data, officer_id, dossier_id)
                apology_count = int(made)
        version = len(rows)
        documents = self._documents(proc, dossier_id, received, finished, state, officer_id)
        notes: list[dict[str, Any]] = []
        if assignee is not None and state != "withdrawn" and r.random() < 0.4:
            for _ in range(r.choice((1, 1, 2))):
                lo, hi = rows[1]["at"], rows[-1]["at"]
                at = lo + (hi - lo) * r.random()
                notes.append({"dossier_id": dossier_id,
                                    "author_id": r.choice((officer_id, officer_id, staff.head_id)),
                                    "text": r.choice(V.NOTE_TEXTS),
                                    "created_at": at.replace(microsecond=0), "client_id": None})
                version += 1
        notes.sort(key=lambda x: x["created_at"])
        updated = max([x["at"] for x in rows] + [x["created_at"] for x in notes])
        return {"id": dossier_id, "code": "", "department_id": proc.department_id,
                "assignee_id": assignee, "procedure_code": proc.code, "status": status,
                "step": step, "version": version, "seq": 0, "received_at": received,
                "due_at": due, "finished_at": finished, "returned_at": returned,
                "clock_stopped_at": stopped_clock, "supplement_count": supplement_count,
                "apology_count": apology_count, "data": data, "payload": "",
                "updated_at": updated, "_history": sorted(rows, key=lambda x: x["at"]),
                "_documents": documents, "_notes": notes}

    def _apology(self, rows: list[dict[str, Any]], received: datetime, wh: int,
                 due: datetime, data: dict[str, Any], officer_id: int,
                 dossier_id: str) -> tuple[datetime, bool]:
        """Maybe add an apology row (Mẫu 04) at least a working day before ``due``."""
        r = self.rng
        at = self._after(received, max(wh - 8 - r.uniform(0.5, 8), 0.5))
        if at <= rows[2]["at"] or at >= self.now or self.cal.remaining(at, due) < timedelta(hours=8):
            return due, False
        step = [x["to_step"] for x in rows if x["at"] <= at][-1]
        new_due = self.cal.add_working_time(due, days=r.randint(3, 7)).astimezone(UTC)
        reason = "Cần lấy ý kiến phối hợp của cơ quan liên quan"
        rows.append({"dossier_id": dossier_id, "at": at, "actor_id": officer_id,
                     "action": "apology", "from_status": 4, "to_status": 4,
                     "from_step": step, "to_step": step, "handed_to_id": None,
                     "step_due_at": None,
                     "content": (f"Xin lỗi và hẹn lại ngày trả kết quả: "
                                 f"{format_local(self.cal, new_due)}. Lý do: {reason}"),
                     "details": None})
        data["original_due_at"] = due.isoformat().replace("+00:00", "Z")
        return new_due, True

    def _documents(self, proc: Procedure, dossier_id: str, received: datetime,
                   finished: datetime | None, state: str,
                   officer_id: int) -> list[dict[str, Any]]:
        r = self.rng
        out: list[dict[str, Any]] = []
        names = [proc.documents[0]] + [n for n in proc.documents[1:] if r.random() < 0.6]
        for name in names:
            size, sha = r.choice(self.pool)
            out.append({"dossier_id": dossier_id, "name": f"{name}.pdf",
                                    "kind": "submitted", "mime": "application/pdf", "size": size,
                                    "sha256": sha, "created_at": received, "uploaded_by": None})
        if finished is not None and state in ("ready", "returned"):
            size, sha = r.choice(self.pool)
            out.append({"dossier_id": dossier_id, "name": f"Kết quả - {proc.name}.pdf",
                                    "kind": "result", "mime": "application/pdf", "size": size,
                                    "sha256": sha, "created_at": finished,
                                    "uploaded_by": officer_id})
        return out
