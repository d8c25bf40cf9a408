"""The vocabulary of a dossier: national status codes, department steps, roles, actions.

Pure data shared by the server and the client; the transition table that uses it lives in
``wfh_client.domain.workflow``.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Status(IntEnum):
    """National dossier status codes (TrangThaiHoSo), 1-10."""

    SUBMITTED = 1  # Mới đăng ký
    ACCEPTED = 2  # Được tiếp nhận
    REFUSED_AT_INTAKE = 3  # Không được tiếp nhận
    PROCESSING = 4  # Đang xử lý
    AWAITING_SUPPLEMENT = 5  # Yêu cầu bổ sung giấy tờ
    AWAITING_FEES = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý
    RESULT_READY = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả


STATUS_NAMES_VI: dict[Status, str] = {
    Status.SUBMITTED: "Mới đăng ký",
    Status.ACCEPTED: "Được tiếp nhận",
    Status.REFUSED_AT_INTAKE: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.AWAITING_SUPPLEMENT: "Yêu cầu bổ sung giấy tờ",
    Status.AWAITING_FEES: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.RESULT_READY: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}

STATUS_NAMES_EN: dict[Status, str] = {
    Status.SUBMITTED: "Submitted",
    Status.ACCEPTED: "Accepted",
    Status.REFUSED_AT_INTAKE: "Refused at intake",
    Status.PROCESSING: "Processing",
    Status.AWAITING_SUPPLEMENT: "Awaiting documents",
    Status.AWAITING_FEES: "Awaiting fees",
    Status.WITHDRAWN: "Withdrawn",
    Status.STOPPED: "Processing stopped",
    Status.RESULT_READY: "Result ready",
    Status.RETURNED: "Result returned",
}

#: Statuses after which the dossier's processing has ended (for on-time rates).
FINAL_STATUSES = frozenset(
    {Status.REFUSED_AT_INTAKE, Status.WITHDRAWN, Status.STOPPED, Status.RESULT_READY, Status.RETURNED}
)


class Step(StrEnum):
    """The department's internal steps inside and around status 4 (Đang xử lý)."""

    UNASSIGNED = "unassigned"  # received by the department, no officer yet
    ASSIGNED = "assigned"  # assigned to an officer
    IN_REVIEW = "in_review"  # the officer is reviewing (thẩm định)
    SUBMITTED_FOR_APPROVAL = "submitted_for_approval"  # trình ký
    RETURNED_FOR_REWORK = "returned_for_rework"  # the head sent it back
    APPROVED = "approved"  # the head approved (status becomes 9)


class Role(StrEnum):
    OFFICER = "officer"
    HEAD = "head"
    ADMIN = "admin"


class ActionType(StrEnum):
    """Every user action on a dossier; one outbox entry and one server call each."""

    NOTE = "note"
    ASSIGN = "assign"
    START_REVIEW = "start_review"
    REQUEST_DOCUMENTS = "request_documents"
    DOCUMENTS_RECEIVED = "documents_received"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    APPROVE = "approve"
    RETURN_FOR_REWORK = "return_for_rework"
    REFUSE = "refuse"
    STOP = "stop"
    APOLOGY = "apology"
    RETURN_RESULT = "return_result"


class Timeliness(StrEnum):
    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # quá hạn


class ResultChannel(StrEnum):
    COUNTER = "counter"
    POST = "post"
    ONLINE = "online"
