#!/usr/bin/env python3
"""Refresh the translation catalogues: ``make translations`` (what tests/ui/test_translations.py
checks). Runs ``pyside6-lupdate`` over ``wfh_client/ui`` for Vietnamese and English (plural
forms only), fills new Vietnamese entries from ``--add FILE.json`` (``{"source": "dịch"}`` or
``{"Context|source": "dịch"}``), then ``pyside6-lrelease``. Prints the sources still untranslated.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "wfh_client" / "ui").rglob("*.py"))


def lupdate(lang: str, extra: list[str]) -> Path:
    ts = TRANSLATIONS / f"wfh_{lang}.ts"
    subprocess.run([str(BIN / "pyside6-lupdate"), "-locations", "none", "-no-obsolete", *extra,
                    *sources(), "-ts", str(ts)], cwd=ROOT, check=True, capture_output=True)
    return ts


def fill(ts: Path, table: dict[str, str]) -> list[str]:
    """Fill unfinished entries from ``table``; returns the sources still missing."""
    text = ts.read_text(encoding="utf-8")
    tree = ET.ElementTree(ET.fromstring(text))
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            tr = message.find("translation")
            assert tr is not None
            if tr.get("type") != "unfinished":
                continue
            value = table.get(f"{name}|{source}", table.get(source))
            if value is None:
                missing.append(f"{name}|{source}")
                continue
            if message.get("numerus") == "yes":
                for form in tr.findall("numerusform"):
                    form.text = value
            else:
                tr.text = value
            del tr.attrib["type"]
    body = ET.tostring(tree.getroot(), encoding="unicode")
    header = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
    ts.write_text(header + body + "\n", encoding="utf-8")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--add", type=Path, help="JSON of new Vietnamese translations")
    args = parser.parse_args()
    vi = lupdate("vi", [])
    if args.add:
        missing = fill(vi, json.loads(args.add.read_text(encoding="utf-8")))
        vi = lupdate("vi", [])  # lupdate writes the canonical layout back
    lupdate("en", ["-pluralonly"])
    for lang in ("vi", "en"):
        subprocess.run([str(BIN / "pyside6-lrelease"), str(TRANSLATIONS / f"wfh_{lang}.ts"), "-qm",
                        str(TRANSLATIONS / f"wfh_{lang}.qm")], check=True, capture_output=True)
    missing = [m for m in fill_check(vi)]
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0


def fill_check(ts: Path) -> list[str]:
    root = ET.parse(ts).getroot()
    return [f"{c.findtext('name')}|{m.findtext('source')}" for c in root.iter("context")
            for m in c.iter("message") if (m.find("translation") is not None and
                                           m.find("translation").get("type") == "unfinished")]


if __name__ == "__main__":
    sys.exit(main())
