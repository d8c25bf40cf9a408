"""The policy template shipped to IT is valid and locks what it sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wfh_client.config import load_config

TEMPLATE = Path(__file__).resolve().parents[2] / "installer" / "policy.example.json"


def test_the_policy_template_loads_and_locks_its_keys(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFH_CLIENT_POLICY", str(TEMPLATE))
    config = load_config(tmp_path)
    template = {k: v for k, v in json.loads(TEMPLATE.read_text(encoding="utf-8")).items()
                if not k.startswith("_")}
    assert template, "the template sets something"
    for key, value in template.items():
        assert config.get(key) == value
        assert config.source(key) == "policy" and config.locked(key)
