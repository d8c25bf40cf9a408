"""11.3: the .deb. Lintian (pedantic, failing on errors and warnings), the desktop file and
AppStream metadata, the layout and Depends, then install with a preseeded server on this
machine (root), run, and purge: the policy file is written without being a conffile, an
IT-edited one is left alone, and purge removes only what the package wrote."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

POLICY = Path("/etc/wfh-client/policy.json")
SERVER = "https://motcua.ci-test.example.gov.vn"


def sh(*cmd: str, env: dict[str, str] | None = None, check: bool = True,
       stdin: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, input=stdin,
                          timeout=timeout, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} -> {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def test_lintian_pedantic_passes(deb: Path) -> None:
    r = sh("lintian", "--pedantic", "--fail-on", "error,warning", "--tag-display-limit", "0",
           str(deb), check=False, timeout=900)
    problems = [line for line in r.stdout.splitlines() if line.startswith(("E:", "W:"))]
    assert r.returncode == 0 and problems == [], r.stdout + r.stderr


def test_layout_depends_and_metadata(deb: Path, tmp_path: Path) -> None:
    listing = sh("dpkg-deb", "-c", str(deb)).stdout
    for path in ("./opt/wfh-client/wfh-client", "./opt/wfh-client/wfh-client-gui",
                 "./usr/bin/wfh-client -> /opt/wfh-client/wfh-client",
                 "./usr/bin/wfh-client-gui -> /opt/wfh-client/wfh-client-gui",
                 "./usr/share/applications/vn.gov.motcua.wfhclient.desktop",
                 "./usr/share/metainfo/vn.gov.motcua.wfhclient.metainfo.xml",
                 "./usr/share/icons/hicolor/scalable/apps/vn.gov.motcua.wfhclient.svg",
                 "./usr/share/man/man1/wfh-client.1.gz", "./usr/share/man/man1/wfh-client-gui.1.gz",
                 "./usr/share/doc/wfh-client/copyright"):
        assert path in listing, path
    assert "./etc/" not in listing  # the policy is written by postinst, never shipped
    depends = sh("dpkg-deb", "-f", str(deb), "Depends").stdout
    for dep in ("ca-certificates", "fontconfig", "libxcb-cursor0", "libc6", "debconf"):
        assert dep in depends, dep
    control = tmp_path / "control"
    sh("dpkg-deb", "-e", str(deb), str(control))
    assert not (control / "conffiles").exists()
    assert (control / "templates").is_file() and (control / "config").is_file()
    tree = tmp_path / "tree"
    sh("dpkg-deb", "-x", str(deb), str(tree))
    desktop = tree / "usr/share/applications/vn.gov.motcua.wfhclient.desktop"
    sh("desktop-file-validate", str(desktop))
    assert "StartupWMClass=wfh-client-gui" in desktop.read_text()
    sh("appstreamcli", "validate", "--no-net", "--pedantic",
       str(tree / "usr/share/metainfo/vn.gov.motcua.wfhclient.metainfo.xml"))
    man = sh("zcat", str(tree / "usr/share/man/man1/wfh-client.1.gz")).stdout.replace("\\-", "-")
    assert "support-bundle" in man and "doctor" in man


@pytest.fixture
def installed(deb: Path) -> object:
    if os.geteuid() != 0:
        pytest.fail("installing the .deb needs root (CI runs as root)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sh("debconf-set-selections", stdin=f"wfh-client wfh-client/server_url string {SERVER}\n")
    sh("apt-get", "install", "-y", "-q", "--no-install-recommends", str(deb), env=env,
       timeout=900)
    try:
        yield env
    finally:
        sh("dpkg", "--purge", "wfh-client", env=env, check=False)
        sh("debconf-set-selections", stdin="wfh-client wfh-client/server_url string\n",
           check=False)


def test_install_run_reconfigure_purge(installed: dict[str, str], deb: Path,
                                      tmp_path: Path) -> None:
    env = dict(installed, WFH_CLIENT_DATA_DIR=str(tmp_path / "data"),
               WFH_CLIENT_LOG_DIR=str(tmp_path / "logs"))
    # the preseeded server is the machine policy, root-owned and world-readable
    st = POLICY.stat()
    assert st.st_uid == 0 and oct(st.st_mode & 0o777) == "0o644"
    assert json.loads(POLICY.read_text())["server_url"] == SERVER
    assert "/etc/wfh-client/policy.json" not in sh("dpkg-query", "-W", "-f=${Conffiles}",
                                                   "wfh-client").stdout
    r = sh("/usr/bin/wfh-client", "--version", env=env)
    assert r.stdout.startswith("wfh-client 0.1.0")
    r = sh("/usr/bin/wfh-client", "config", "show", env=env)
    assert f'server_url = "{SERVER}"  [policy, locked]' in r.stdout
    r = sh("/usr/bin/wfh-client", "config", "set", "server_url", "https://other.example",
           env=env, check=False)
    assert r.returncode == 2 and "machine policy" in r.stderr
    gui = sh("/usr/bin/wfh-client-gui", "--self-test", env=dict(env, QT_QPA_PLATFORM="offscreen"))
    assert json.loads(gui.stdout)["ok"]
    # a new answer rewrites the package's own file ...
    sh("debconf-set-selections", stdin="wfh-client wfh-client/server_url string "
       "https://motcua2.example.gov.vn\n")
    sh("dpkg-reconfigure", "-fnoninteractive", "wfh-client", env=installed)
    assert json.loads(POLICY.read_text())["server_url"] == "https://motcua2.example.gov.vn"
    # ... but never one that IT edited by hand (marker removed)
    edited = {"server_url": "https://it-chose-this.example.gov.vn", "sync_interval_seconds": 600}
    POLICY.write_text(json.dumps(edited))
    sh("dpkg-reconfigure", "-fnoninteractive", "wfh-client", env=installed)
    assert json.loads(POLICY.read_text()) == edited
    # purge keeps the hand-edited file (it is IT's), and removes a package-written one
    sh("dpkg", "--purge", "wfh-client", env=installed)
    assert POLICY.exists() and json.loads(POLICY.read_text()) == edited
    POLICY.unlink()
    POLICY.parent.rmdir()
    sh("debconf-set-selections", stdin=f"wfh-client wfh-client/server_url string {SERVER}\n")
    sh("dpkg", "-i", str(deb), env=installed)
    assert json.loads(POLICY.read_text())["server_url"] == SERVER
    sh("dpkg", "--purge", "wfh-client", env=installed)
    assert not POLICY.exists() and not POLICY.parent.exists()
    assert not Path("/opt/wfh-client").exists() and not Path("/usr/bin/wfh-client").exists()
