"""Build the .deb from the PyInstaller bundle: ``python3 installer/deb/build_deb.py BUNDLE OUT``.

Layout: the bundle in ``/opt/wfh-client``; ``/usr/bin/wfh-client`` and ``wfh-client-gui``
links; the .desktop file (``StartupWMClass``), AppStream metainfo, hicolor icon, man pages
(help2man from the frozen programs), DEP-5 copyright and changelog. Depends are computed by
``dpkg-shlibdeps`` over every ELF file, plus ``ca-certificates`` (truststore reads the
distribution's bundle), ``fontconfig`` and debconf. The server address comes from debconf
(``wfh-client/server_url``, preseedable) and is written by postinst to
``/etc/wfh-client/policy.json``, which is deliberately not a conffile (see debian/postinst).

Lintian hygiene for a vendor bundle in /opt: ``.so`` files 0644, RUNPATHs reduced to their
``$ORIGIN`` entries (patchelf), md5sums, ``-1`` revision, overrides only for what a bundle in
/opt inherently is (installer/deb/lintian-overrides).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PACKAGE = "wfh-client"
APP_ID = "vn.gov.motcua.wfhclient"
MAINTAINER = "WFH client packaging <packaging@motcua.gov.vn>"
PROGRAMS = {"wfh-client": "command line of the one-stop-shop work-from-home client",
            "wfh-client-gui": "desktop app of the one-stop-shop work-from-home client"}
DESCRIPTION = """\
Description: work-from-home client for one-stop-shop civil servants
 Officers of Vietnam's one-stop-shop offices keep their assigned dossiers,
 documents and history in an encrypted local cache, work on them without a
 network and sync with the province's server. Department heads assign work,
 approve results and recall staff on duty.
 .
 The server address can be preset with debconf (wfh-client/server_url) and is
 then locked for users (/etc/wfh-client/policy.json)."""


def run(*cmd: str, cwd: Path | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return done.stdout


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def gzip_file(src: Path, dest: Path) -> None:
    """gzip -9n: no name, no time stamp (reproducible, as lintian wants)."""
    with src.open("rb") as f_in, dest.open("wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        shutil.copyfileobj(f_in, gz)


def install_bundle(bundle: Path, opt: Path) -> list[Path]:
    shutil.copytree(bundle, opt, symlinks=True)
    elves: list[Path] = []
    for path in sorted(opt.rglob("*")):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
            continue
        entry = path.parent == opt and path.name in PROGRAMS
        path.chmod(0o755 if entry else 0o644)
        if is_elf(path):
            elves.append(path)
    for elf in elves:
        fix_runpath(elf, opt)
    return elves


def fix_runpath(elf: Path, opt: Path) -> None:
    """Keep only $ORIGIN-relative RUNPATH entries (a build machine's path is a lintian error)."""
    done = subprocess.run(["patchelf", "--print-rpath", str(elf)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        return  # not a dynamic object patchelf understands (e.g. a static helper)
    current = done.stdout.strip()
    if not current:
        return
    kept = [p for p in current.split(":") if p.startswith("$ORIGIN")]
    if kept == current.split(":"):
        return
    if kept:
        run("patchelf", "--set-rpath", ":".join(kept), str(elf))
    else:
        run("patchelf", "--remove-rpath", str(elf))


def shlib_depends(pkg: Path, elves: list[Path]) -> str:
    """``dpkg-shlibdeps`` over every ELF file; the bundle's own libraries are not deps."""
    lib_dirs = sorted({str(e.parent) for e in elves})
    (pkg / "DEBIAN").mkdir(exist_ok=True)  # marks the build tree: its own libraries are no deps
    with tempfile.TemporaryDirectory() as tmp:
        debian = Path(tmp) / "debian"
        debian.mkdir()
        (debian / "control").write_text(
            f"Source: {PACKAGE}\nMaintainer: {MAINTAINER}\n\n"
            f"Package: {PACKAGE}\nArchitecture: any\n{DESCRIPTION}\n", encoding="utf-8")
        out = run("dpkg-shlibdeps", "-O", f"-S{pkg}", *[f"-l{d}" for d in lib_dirs],
                  "--warnings=0", *[str(e) for e in elves], cwd=Path(tmp))
    for line in out.splitlines():
        if line.startswith("shlibs:Depends="):
            return line.split("=", 1)[1].strip()
    raise SystemExit("dpkg-shlibdeps printed no shlibs:Depends")


def man_pages(pkg: Path, opt: Path) -> None:
    man1 = pkg / "usr/share/man/man1"
    man1.mkdir(parents=True)
    for program, what in PROGRAMS.items():
        raw = man1 / f"{program}.1"
        run("help2man", "--no-info", "--no-discard-stderr", f"--name={what}",
            f"--output={raw}", str(opt / program))
        gzip_file(raw, man1 / f"{program}.1.gz")
        raw.unlink()


def docs(pkg: Path, version: str) -> None:
    doc = pkg / "usr/share/doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copy(HERE / "copyright", doc / "copyright")
    changelog = Path(tempfile.mkdtemp()) / "changelog.Debian"
    changelog.write_text(
        f"{PACKAGE} ({version}) unstable; urgency=medium\n\n"
        "  * Release built from the project's CI (see the project's README).\n\n"
        f" -- {MAINTAINER}  Wed, 18 Mar 2026 09:30:00 +0700\n", encoding="utf-8")
    gzip_file(changelog, doc / "changelog.Debian.gz")


def desktop_integration(pkg: Path) -> None:
    apps = pkg / "usr/share/applications"
    meta = pkg / "usr/share/metainfo"
    icons = pkg / "usr/share/icons/hicolor/scalable/apps"
    overrides = pkg / "usr/share/lintian/overrides"
    for folder in (apps, meta, icons, overrides):
        folder.mkdir(parents=True)
    shutil.copy(HERE / f"{APP_ID}.desktop", apps / f"{APP_ID}.desktop")
    shutil.copy(HERE / f"{APP_ID}.metainfo.xml", meta / f"{APP_ID}.metainfo.xml")
    shutil.copy(ROOT / "resources/icons/app.svg", icons / f"{APP_ID}.svg")
    shutil.copy(HERE / "lintian-overrides", overrides / PACKAGE)
    for f in (*apps.iterdir(), *meta.iterdir(), *icons.iterdir(), *overrides.iterdir()):
        f.chmod(0o644)


def control(pkg: Path, version: str, depends: str) -> None:
    debian = pkg / "DEBIAN"
    debian.mkdir(exist_ok=True)
    size_kib = sum(f.stat().st_size for f in pkg.rglob("*") if f.is_file()
                   and not f.is_symlink()) // 1024
    deps = ", ".join([depends, "ca-certificates", "fontconfig",
                      "debconf (>= 0.5) | debconf-2.0"])
    (debian / "control").write_text(
        f"Package: {PACKAGE}\nVersion: {version}\nArchitecture: amd64\n"
        f"Maintainer: {MAINTAINER}\nInstalled-Size: {size_kib}\nDepends: {deps}\n"
        "Recommends: gnome-keyring | keepassxc | kwalletmanager, "
        "pulseaudio-utils | pipewire-bin | alsa-utils\n"
        "Section: misc\nPriority: optional\nHomepage: https://motcua.gov.vn/\n"
        f"{DESCRIPTION}\n", encoding="utf-8")
    for name in ("templates", "config", "postinst", "postrm"):
        shutil.copy(HERE / "debian" / name, debian / name)
        (debian / name).chmod(0o644 if name == "templates" else 0o755)
    sums = []
    for f in sorted(pkg.rglob("*")):
        if f.is_file() and not f.is_symlink() and "DEBIAN" not in f.relative_to(pkg).parts:
            sums.append(f"{hashlib.md5(f.read_bytes()).hexdigest()}  "  # noqa: S324 - dpkg's format
                        f"{f.relative_to(pkg)}")
    (debian / "md5sums").write_text("\n".join(sums) + "\n", encoding="utf-8")
    (debian / "md5sums").chmod(0o644)


def build(bundle: Path, out: Path, version: str) -> Path:
    with tempfile.TemporaryDirectory(prefix="wfh-deb-") as tmp:
        pkg = Path(tmp) / "pkg"
        opt = pkg / "opt" / PACKAGE
        opt.parent.mkdir(parents=True)
        elves = install_bundle(bundle, opt)
        bin_dir = pkg / "usr/bin"
        bin_dir.mkdir(parents=True)
        for program in PROGRAMS:
            (bin_dir / program).symlink_to(f"/opt/{PACKAGE}/{program}")
        man_pages(pkg, opt)
        docs(pkg, version)
        desktop_integration(pkg)
        control(pkg, version, shlib_depends(pkg, elves))
        for d in [pkg, *[p for p in pkg.rglob("*") if p.is_dir() and not p.is_symlink()]]:
            d.chmod(0o755)
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{PACKAGE}_{version}_amd64.deb"
        # gzip -9: ~59 MB in well under a minute; xz: 40 MB but minutes on a 2-core CI
        # machine (WFH_DEB_COMPRESSION=xz for a release build that can wait). zstd is
        # smaller and faster still, but lintian (Debian 12) rejects it as malformed.
        compression = os.environ.get("WFH_DEB_COMPRESSION", "gzip")
        level = {"zstd": "-z9", "xz": "-z6", "gzip": "-z9"}.get(compression, "-z9")
        run("dpkg-deb", "--root-owner-group", f"-Z{compression}", level, "--build", str(pkg),
            str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the PyInstaller folder (dist/wfh-client)")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--version", default=None, help="Debian version (default: <app>-1)")
    args = parser.parse_args(argv)
    version = args.version or run(str(args.bundle / "wfh-client"), "--version").split()[1] + "-1"
    os.umask(0o022)
    print(build(args.bundle.resolve(), args.out.resolve(), version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
