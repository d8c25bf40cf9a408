"""The department head's workspace: queue, assignment, approvals, board and reports.

Entry points for the rest of the UI::

    add_department_menu(main_window, ctx)   # the "Department" menu, for heads only
    open_department(ctx, "board", parent)   # the department window on one of its pages

Modules: ``window`` (the tabbed window), ``queue_view`` + ``assign_dialog`` (assign one or many
dossiers seeing each officer's load), ``approvals_view``, ``board_view``, ``reports_view`` +
``chart`` (QPainter bar charts), ``models`` (table models over ``common.RowsModel``), ``data``
(worker-thread reads around ``store.board`` and ``sync.reports``), ``menu``, ``shots``
(screenshots). Reads come from the head's cache (offline); reports and the live team load
come from the server; every action is recorded through ``sync.operations.record_action``.
"""

from __future__ import annotations

from typing import Any

from wfh_client.ui.head.menu import add_department_menu

__all__ = ["add_department_menu", "open_department"]  # noqa: F822 - see __getattr__


def __getattr__(name: str) -> Any:
    """``open_department`` imports the window and its pages (the HTTP stack among them) on
    first use: every start adds the menu, but only a head opens the window."""
    if name == "open_department":
        from wfh_client.ui.head.window import open_department

        return open_department
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
