"""11.2: the PyInstaller bundle. Only the Qt plugins the app uses, no build-machine paths, every
library found; the frozen CLI logs in, syncs and passes ``doctor`` against the real server
with the real keyring; the GUI self-test passes; children get the user's LD_LIBRARY_PATH; a
release build ignores ``WFH_CLIENT_POLICY``."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.client.auth_helpers import require_real_keyring
from tests.support.server import RunningServer

OFFICER = "cv.tnmt2"


def frozen_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "WFH_"))}
    env.update(WFH_CLIENT_DATA_DIR=str(tmp_path / "data"), WFH_CLIENT_LOG_DIR=str(tmp_path / "logs"))
    return env


def run(bundle: Path, program: str, *args: str, env: dict[str, str], stdin: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / program), *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout, cwd=env["WFH_CLIENT_DATA_DIR"]
                          if Path(env["WFH_CLIENT_DATA_DIR"]).is_dir() else None)


def test_only_the_qt_plugins_the_app_uses(bundle: Path) -> None:
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
    present = {str(p.relative_to(plugins)) for p in plugins.rglob("*.so")}
    for needed in ("platforms/libqxcb.so", "platforms/libqwayland.so",
                   "platforms/libqoffscreen.so", "platformthemes/libqxdgdesktopportal.so",
                   "platforminputcontexts/libibusplatforminputcontextplugin.so",
                   "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
                   "iconengines/libqsvgicon.so", "imageformats/libqsvg.so",
                   "printsupport/libcupsprintersupport.so"):
        assert needed in present, needed
    unwanted = [p for p in present if p.startswith(("qmltooling/", "designer/", "sqldrivers/",
                                                    "egldeviceintegrations/", "tls/"))
                or p in ("platformthemes/libqgtk3.so", "platforms/libqeglfs.so",
                         "platforms/libqlinuxfb.so", "platforms/libqvnc.so",
                         "platforms/libqminimal.so")]
    assert unwanted == []
    assert not (bundle / "_internal" / "PySide6" / "Qt" / "translations").exists()
    assert not list((bundle / "_internal").rglob("libgtk-3*"))  # no GTK dragged in


def test_no_build_machine_paths_and_every_library_found(bundle: Path) -> None:
    elves = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()
             and p.read_bytes()[:4] == b"\x7fELF"]
    assert len(elves) > 50
    missing, foreign_runpath = [], []
    for elf in elves:
        dyn = subprocess.run(["readelf", "-d", str(elf)], capture_output=True, text=True,
                             timeout=60).stdout
        for line in dyn.splitlines():
            if "RUNPATH" in line or "RPATH" in line:
                path = line.split("[", 1)[1].rstrip("]")
                if any(not p.startswith("$ORIGIN") for p in path.split(":")):
                    foreign_runpath.append((elf.name, path))
        if elf.suffix == ".so" or ".so." in elf.name or elf.parent == bundle:
            out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True,
                                 timeout=60).stdout
            missing += [(elf.name, line.strip()) for line in out.splitlines()
                        if "not found" in line]
    libpython = next(e for e in elves if e.name.startswith("libpython3"))
    assert "RUNPATH" not in subprocess.run(["readelf", "-d", str(libpython)],
                                           capture_output=True, text=True).stdout
    assert foreign_runpath == []
    assert missing == []


def test_the_bundle_takes_zstd_pages(bundle: Path) -> None:
    """The frozen client's requests offers and decodes zstd, the server's first choice for
    sync pages (onestop_server.compression): its decoder is in the bundle."""
    assert list((bundle / "_internal").rglob("backports/zstd/_zstd*.so"))


def test_version_of_both_programs(bundle: Path, tmp_path: Path) -> None:
    env = frozen_env(tmp_path)
    for program in ("wfh-client", "wfh-client-gui"):
        r = run(bundle, program, "--version", env=env)
        assert r.returncode == 0 and r.stdout.startswith(f"{program} 0.1.0 (build "), r.stderr
        assert "release" in r.stdout


def test_gui_self_test_offscreen(bundle: Path, tmp_path: Path) -> None:
    env = frozen_env(tmp_path)
    env.update(QT_QPA_PLATFORM="offscreen", LD_LIBRARY_PATH="/opt/the-users-own-libs")
    r = run(bundle, "wfh-client-gui", "--self-test", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["ok"] and report["platform"] == "offscreen"
    assert report["translation_vi"] and report["icons_svg"] and report["sound_file"]
    assert report["window"]["visible"] and report["window"]["title"]
    assert report["build"]["frozen"] and report["build"]["channel"] == "release"
    # a child (the sound player, xdg-open) gets the user's library path, not the bundle's
    assert report["child_ld_library_path"] == "/opt/the-users-own-libs"
    assert (tmp_path / "logs" / "wfh-client-gui.log").is_file()


def test_frozen_cli_logs_in_syncs_and_passes_doctor(bundle: Path, server: RunningServer,
                                                    tmp_path: Path) -> None:
    require_real_keyring()
    env = frozen_env(tmp_path)
    sneaky = tmp_path / "unlock.json"
    sneaky.write_text(json.dumps({"allow_plaintext_cache": True}))
    env["WFH_CLIENT_POLICY"] = str(sneaky)  # a release build must ignore it
    r = run(bundle, "wfh-client", "login", "--server", server.url, "--username", OFFICER,
            "--password-stdin", env=env, stdin="demo\n")
    assert r.returncode == 0, r.stderr
    try:
        r = run(bundle, "wfh-client", "sync", "--json", env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        report = json.loads(r.stdout)
        assert report["pulled"] > 0
        r = run(bundle, "wfh-client", "doctor", "--json", env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        doctor = json.loads(r.stdout)
        assert doctor["ok"] and {c["name"] for c in doctor["checks"]} >= {"server", "keyring",
                                                                           "cache"}
        assert "SecretService" in next(c for c in doctor["checks"]
                                       if c["name"] == "keyring")["detail"]
        assert doctor["policy_sources"]["policy_file_kind"] == "machine"
        assert doctor["policy_sources"]["policy_file"] == "/etc/wfh-client/policy.json"
        plain = next(s for s in doctor["settings"] if s["key"] == "allow_plaintext_cache")
        assert plain["value"] is False
        r = run(bundle, "wfh-client", "support-bundle", "-o", str(tmp_path / "b.zip"), env=env)
        assert r.returncode == 0 and (tmp_path / "b.zip").stat().st_size > 1000, r.stderr
    finally:
        run(bundle, "wfh-client", "logout", env=env)


@pytest.mark.parametrize("program", ["wfh-client", "wfh-client-gui"])
def test_help_works_without_a_display(bundle: Path, tmp_path: Path, program: str) -> None:
    env = frozen_env(tmp_path)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    r = run(bundle, program, "--help", env=env)
    assert r.returncode == 0 and "usage:" in r.stdout
