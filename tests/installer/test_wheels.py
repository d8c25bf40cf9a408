"""11.1: the packaging split. The client wheel ships no server, demo or fpdf2 and carries the
resources and build facts; the server installs without PySide6; versions agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.installer.conftest import ROOT

SERVER_ONLY = ("fastapi", "uvicorn", "sqlalchemy", "argon2-cffi", "fpdf2")


def wheel(packages: Path, prefix: str) -> Path:
    found = sorted((packages / "wheels").glob(f"{prefix}-*.whl"))
    assert len(found) == 1, found
    return found[0]


def requires(whl: Path) -> list[str]:
    with zipfile.ZipFile(whl) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        lines = zf.read(meta).decode().splitlines()
    return [line.split(":", 1)[1].strip().lower() for line in lines
            if line.startswith("Requires-Dist:") and "extra ==" not in line]


def test_client_wheel_has_resources_and_no_server(packages: Path) -> None:
    whl = wheel(packages, "wfh_client")
    names = zipfile.ZipFile(whl).namelist()
    for needed in ("wfh_client/resources/translations/wfh_vi.qm",
                   "wfh_client/resources/translations/wfh_en.qm",
                   "wfh_client/resources/icons/app.svg", "wfh_client/resources/sounds/recall.wav",
                   "wfh_client/__init__.py", "wfh_client/gui_main.py", "wfh_client/_build.json"):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("onestop_server", "wfh_client/domain/"))]
    assert "wfh_client/demo.py" not in names and "wfh_client/memory_keyring.py" not in names
    assert not [n for n in names if n.endswith(".ts")]  # translation sources stay in the repo
    facts = json.loads(zipfile.ZipFile(whl).read("wfh_client/_build.json"))
    assert facts["channel"] == "release" and facts["version"] == "0.1.0"
    deps = requires(whl)
    assert not [d for d in deps if d.startswith(SERVER_ONLY)], deps
    assert any(d.startswith("pyside6-essentials") for d in deps)
    assert "wfh-domain==0.1.0" in deps


def test_domain_and_server_wheels(packages: Path) -> None:
    domain = zipfile.ZipFile(wheel(packages, "wfh_domain")).namelist()
    code = [n for n in domain if not n.startswith("wfh_domain-")]
    assert code and all(n.startswith("wfh_client/domain/") for n in code), code
    server = wheel(packages, "onestop_server")
    names = zipfile.ZipFile(server).namelist()
    assert "onestop_server/app.py" in names and not [n for n in names if n.startswith("wfh_client")]
    deps = requires(server)
    assert not [d for d in deps if d.startswith("pyside6")]
    assert "wfh-domain==0.1.0" in deps and any(d.startswith("fpdf2") for d in deps)


def test_versions_agree() -> None:
    from onestop_server import __version__ as server_version
    from wfh_client import __version__ as client_version

    projects = [tomllib.loads(p.read_text())["project"] for p in (
        ROOT / "pyproject.toml", ROOT / "packaging/domain/pyproject.toml",
        ROOT / "packaging/server/pyproject.toml")]
    assert {p["version"] for p in projects} == {client_version, server_version}
    pins = [d for p in projects for d in p.get("dependencies", []) if d.startswith("wfh-domain")]
    assert pins == [f"wfh-domain=={client_version}"] * 2


def test_server_installs_and_runs_without_pyside6(packages: Path, tmp_path: Path) -> None:
    venv = tmp_path / "server-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel(packages, "wfh_domain")),
                    str(wheel(packages, "onestop_server"))], check=True, timeout=600)
    listed = subprocess.run([str(py), "-m", "pip", "list", "--format=json"], check=True,
                            capture_output=True, text=True, timeout=120).stdout
    installed = {p["name"].lower() for p in json.loads(listed)}
    assert "onestop-server" in installed and "wfh-domain" in installed
    assert not {n for n in installed if n.startswith(("pyside6", "shiboken6", "wfh-client"))}
    r = subprocess.run([str(venv / "bin" / "onestop-server"), "--version"], capture_output=True,
                       text=True, timeout=60, check=True, cwd=tmp_path)
    assert r.stdout.strip() == "onestop-server 0.1.0"
    # the app is importable and serves its OpenAPI document from the installed files only
    r = subprocess.run([str(venv / "bin" / "onestop-server"), "openapi"], capture_output=True,
                       text=True, timeout=120, check=True, cwd=tmp_path)
    assert json.loads(r.stdout)["info"]["title"]


def test_installed_client_is_a_release_build_that_ignores_the_policy_variable(
        packages: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel(packages, "wfh_domain")),
                    str(wheel(packages, "wfh_client"))], check=True, timeout=300)
    sneaky = tmp_path / "unlock.json"
    sneaky.write_text(json.dumps({"allow_plaintext_cache": True, "server_url": "https://x.example"}))
    env = dict(os.environ, PYTHONPATH=str(target), WFH_CLIENT_POLICY=str(sneaky),
               WFH_CLIENT_DATA_DIR=str(tmp_path / "data"), WFH_CLIENT_LOG_DIR=str(tmp_path / "l"))
    r = subprocess.run([sys.executable, "-m", "wfh_client", "--version"], env=env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=60, check=True)
    assert r.stdout.startswith("wfh-client 0.1.0 (build ") and "release" in r.stdout
    r = subprocess.run([sys.executable, "-m", "wfh_client", "config", "show"], env=env,
                       cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True)
    assert "allow_plaintext_cache = false  [default]" in r.stdout
    assert "server_url = null  [default]" in r.stdout
    assert str(target) in subprocess.run(
        [sys.executable, "-c", "import wfh_client.buildinfo as b; print(b.__file__)"], env=env,
        capture_output=True, text=True, timeout=60, check=True, cwd=tmp_path).stdout
