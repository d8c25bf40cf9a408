"""The store owns the schema: no SQL in ``wfh_client/ui`` (issue 12.18).

Every module of the UI layer is parsed; a string that reads like an SQL statement, or a call of
``.execute(``/``.executemany(``, fails the test with where it is. The UI asks the store's query
API (``store.listing``, ``store.board``, ``store.outbox``, ...) instead.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "wfh_client" / "ui"
SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|"
                 r"DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIRTUAL)|PRAGMA\s+\w+)", re.S)


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and SQL.search(node.value):
            out.append(f"{where}: SQL text {node.value[:60]!r}")
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values
                           if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if SQL.search(text):
                out.append(f"{where}: SQL f-string {text[:60]!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("execute", "executemany", "executescript"):
            out.append(f"{where}: .{node.func.attr}() call")
    return out


def test_the_ui_layer_holds_no_sql() -> None:
    modules = sorted(UI.rglob("*.py"))
    assert len(modules) > 40  # the whole layer was read
    found = [f for path in modules for f in _findings(path)]
    assert found == [], "move these queries into wfh_client/store:\n" + "\n".join(found)


def test_the_check_catches_sql(tmp_path: Path) -> None:
    sample = tmp_path / "ui_sample.py"
    sample.write_text('rows = db.execute(f"SELECT id FROM dossiers WHERE rid IN ({marks})")\n'
                      'other = "UPDATE outbox SET state = 1"\n', encoding="utf-8")
    found = "\n".join(_findings(sample))
    assert ".execute() call" in found and "SQL f-string" in found and "UPDATE outbox" in found
