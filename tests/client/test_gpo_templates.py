"""Group Policy templates (11.4): one policy per setting, in English and Vietnamese, up to date
with the settings registry, writing the values the client reads from the registry."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

from wfh_client.config import SETTINGS
from wfh_client.policy import REGISTRY_KEY

ROOT = Path(__file__).resolve().parents[2]
GPO = ROOT / "installer" / "gpo"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}


def generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_admx", GPO / "make_admx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_templates_are_up_to_date() -> None:
    for path, text in generator().render().items():
        assert path.read_text(encoding="utf-8") == text, f"{path}: run installer/gpo/make_admx.py"


def test_every_setting_is_a_machine_policy_in_both_languages() -> None:
    admx = ET.parse(GPO / "WFHClient.admx").getroot()
    policies = {p.get("name"): p for p in admx.iterfind(".//p:policy", NS)}
    assert set(policies) == {s.key for s in SETTINGS}
    for spec in SETTINGS:
        policy = policies[spec.key]
        assert policy.get("class") == "Machine" and policy.get("key") == REGISTRY_KEY
        value_names = {e.get("valueName") for e in policy.iter() if e.get("valueName")}
        assert value_names == {spec.key}
        if spec.type is bool:
            assert policy.find("p:enabledValue/p:decimal", NS).get("value") == "1"
        elif spec.type is int:
            assert policy.find(".//p:decimal", NS) is not None  # REG_DWORD
        elif spec.choices:
            assert {i.find(".//p:string", NS).text for i in policy.iterfind(".//p:item", NS)} \
                == set(spec.choices)
        else:
            assert policy.find(".//p:text", NS) is not None  # REG_SZ
    for language in ("en-US", "vi-VN"):
        adml = ET.parse(GPO / language / "WFHClient.adml").getroot()
        strings = {s.get("id"): s.text for s in adml.iterfind(".//p:string", NS)}
        presentations = {p.get("id") for p in adml.iterfind(".//p:presentation", NS)}
        for spec in SETTINGS:
            assert strings[spec.key] and strings[f"{spec.key}_help"], (language, spec.key)
            assert f"HKLM\\{REGISTRY_KEY}\\{spec.key}" in strings[f"{spec.key}_help"]
            if spec.type is not bool:
                assert spec.key in presentations
    vi = ET.parse(GPO / "vi-VN" / "WFHClient.adml").getroot()
    assert "máy chủ" in "".join(s.text or "" for s in vi.iterfind(".//p:string", NS))


def test_values_the_templates_write_are_what_the_client_reads() -> None:
    samples = {bool: 1, int: 600, float: "45", str: "https://motcua.example.gov.vn"}
    for spec in SETTINGS:
        value = samples[spec.type] if not spec.choices else spec.choices[-1]
        if spec.key == "ca_bundle" or spec.key == "support_contact":
            value = "C:\\ProgramData\\WFH Client\\ca.pem"
        if spec.key == "language":
            value = "en"
        spec.from_registry(value)  # raises if the client would refuse it
