"""Who may see which dossier (RBAC scope), shared by reads, actions and documents.

An officer sees the dossiers assigned to them; a head sees their department's; an admin sees
none. A withdrawn dossier (status 7) is in nobody's scope.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from onestop_server import db
from onestop_server.auth import CurrentUser
from onestop_server.errors import ApiError
from wfh_client.domain.statuses import Role, Status

MAX_DOSSIER_ID = 36


def in_scope(user: CurrentUser, department_id: str | None, assignee_id: int | None, status: int) -> bool:
    if status == Status.WITHDRAWN:
        return False
    if user.role == Role.OFFICER:
        return assignee_id is not None and assignee_id == user.id
    if user.role == Role.HEAD:
        return department_id is not None and department_id == user.department_id
    return False


def scope_of(department_id: str | None, assignee_id: int | None, status: int) -> tuple[str | None, int | None]:
    """The (department, assignee) recorded in the change log; withdrawn -> visible to nobody."""
    if status == Status.WITHDRAWN:
        return None, None
    return department_id, assignee_id


def not_found() -> ApiError:
    return ApiError(404, "dossier.not_found", "Unknown dossier.")


def load_visible(conn: Connection, user: CurrentUser, dossier_id: str) -> Row[Any]:
    """The dossier row if the caller may read it; 404 ``dossier.not_found`` otherwise.

    Out-of-scope dossiers answer 404 too, so that existence does not leak across scopes.
    """
    row = conn.execute(select(db.dossiers).where(db.dossiers.c.id == dossier_id)).one_or_none()
    if row is None or not in_scope(user, row.department_id, row.assignee_id, row.status):
        raise not_found()
    return row
