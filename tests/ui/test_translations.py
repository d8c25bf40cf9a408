"""Every user-facing string has a Vietnamese translation and the committed .qm are current.

Rebuilds into a temporary directory with the same commands as ``make translations``:
``pyside6-lupdate -locations none -no-obsolete <ui sources> -ts wfh_vi.ts`` (English:
``-pluralonly``) and ``pyside6-lrelease``; then compares.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        # PySide6 ships lupdate/lrelease: a missing tool is a broken install, not a skip.
        assert found is not None, f"{name} not found next to {sys.executable} nor on PATH"
        return found
    return str(path)


def _sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "wfh_client" / "ui").rglob("*.py"))


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ts")
    for lang, extra in (("vi", []), ("en", ["-pluralonly"])):
        ts = out / f"wfh_{lang}.ts"
        shutil.copy(TRANSLATIONS / f"wfh_{lang}.ts", ts)
        subprocess.run([_tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *extra,
                        *_sources(), "-ts", str(ts)], cwd=ROOT, check=True, capture_output=True)
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(out / f"wfh_{lang}.qm")],
                       check=True, capture_output=True)
    return out


def test_every_source_string_is_translated_to_vietnamese(rebuilt: Path) -> None:
    root = ET.parse(rebuilt / "wfh_vi.ts").getroot()
    assert root.get("language") == "vi"
    untranslated = []
    count = 0
    for message in root.iter("message"):
        count += 1
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text for f in translation.findall("numerusform")] or [translation.text]
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(forms):
            untranslated.append(message.findtext("source"))
    assert count > 50
    assert untranslated == [], f"add Vietnamese for: {untranslated}"


def test_english_plural_forms(rebuilt: Path) -> None:
    root = ET.parse(rebuilt / "wfh_en.ts").getroot()
    for message in root.iter("message"):
        forms = message.find("translation").findall("numerusform")  # type: ignore[union-attr]
        assert len(forms) == 2 and all(f.text for f in forms)


def test_committed_files_are_up_to_date(rebuilt: Path) -> None:
    for name in ("wfh_vi.ts", "wfh_en.ts", "wfh_vi.qm", "wfh_en.qm"):
        assert (rebuilt / name).read_bytes() == (TRANSLATIONS / name).read_bytes(), \
            f"{name} is stale: run `make translations`"


def test_vietnamese_has_diacritics() -> None:
    text = (TRANSLATIONS / "wfh_vi.ts").read_text(encoding="utf-8")
    for phrase in ("Do tổ chức của bạn quản lý", "Đồng bộ ngay", "Quá hạn", "Đã trả kết quả"):
        assert phrase in text
