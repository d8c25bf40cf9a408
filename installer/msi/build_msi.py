"""Build (and sign) the MSI with wixl: ``python3 installer/msi/build_msi.py PAYLOAD OUT.msi``.

``PAYLOAD`` is the Windows PyInstaller folder (``wfh-client.exe``, ``wfh-client-gui.exe``,
``_internal/``), made on a Windows runner (installer/windows/build.ps1; PyInstaller cannot
cross-compile). On Linux CI ``--stand-in`` builds the same MSI around placeholder files, so
every table is still built and checked here.

wixl builds from relative paths only (absolute ones trip an assertion), so everything is
copied into a work folder first. What wixl cannot express is patched with ``msibuild``:

- ``Component.Condition = 'SERVER_URL'`` for the registry policy value (wixl drops
  ``Component/Condition``): no empty ``server_url`` is written without the property;
- ``SecureCustomProperties`` += ``SERVER_URL;CMDLINE_SERVER_URL`` (wixl ignores
  ``Property@Secure``): a managed install passes them from the client to the server side;
- ``MsiLockPermissionsEx`` (SDDL, locale-independent SIDs) on the machine policy folder
  ``%ProgramData%\\WFH Client``: full control for SYSTEM and Administrators, read for Users,
  inheritance from ProgramData cut (users could otherwise create files there).

Signing (``--sign-cert/--sign-key``, or ``--throwaway-cert`` in CI): osslsigncode, SHA-256,
with a time stamp when ``--timestamp URL`` is given. Production keys live in a hardware token
or HSM (installer/README.md says how).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLICY_SDDL = "D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
PATCHES = (
    "UPDATE `Component` SET `Condition` = 'SERVER_URL' WHERE `Component` = 'PolicyServerUrl'",
    "UPDATE `Property` SET `Value` = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;SERVER_URL;"
    "CMDLINE_SERVER_URL' WHERE `Property` = 'SecureCustomProperties'",
    "CREATE TABLE `MsiLockPermissionsEx` (`MsiLockPermissionsEx` CHAR(72) NOT NULL, "
    "`LockObject` CHAR(72) NOT NULL, `Table` CHAR(32) NOT NULL, `SDDL` CHAR(0) NOT NULL "
    "LOCALIZABLE, `Condition` CHAR(255) PRIMARY KEY `MsiLockPermissionsEx`)",
    "INSERT INTO `MsiLockPermissionsEx` (`MsiLockPermissionsEx`, `LockObject`, `Table`, `SDDL`)"
    f" VALUES ('PolicyFolderAcl', 'POLICYDIR', 'CreateFolder', '{POLICY_SDDL}')",
)


def run(*cmd: str, cwd: Path | None = None, stdin: str | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr[-3000:]}")
    return done.stdout


def stand_in_payload(folder: Path) -> None:
    """Placeholder files in the real layout (Linux CI cannot build the Windows programs)."""
    (folder / "_internal").mkdir(parents=True)
    for name in ("wfh-client.exe", "wfh-client-gui.exe", "_internal/python311.dll",
                 "_internal/base_library.zip"):
        (folder / name).write_bytes(b"stand-in for the Windows build: " + name.encode())


def build(payload: Path, out: Path, version: str) -> Path:
    with tempfile.TemporaryDirectory(prefix="wfh-msi-") as tmp:
        work = Path(tmp)
        shutil.copytree(payload, work / "payload")
        shutil.copy(HERE / "wfh-client.wxs", work / "wfh-client.wxs")
        files = sorted(str(p.relative_to(work)) for p in (work / "payload").rglob("*")
                       if p.is_file())
        heat = run("wixl-heat", "--var", "var.SourceDir", "-p", "payload/", "--component-group",
                   "CG.Payload", "--directory-ref", "INSTALLDIR", "--win64", cwd=work,
                   stdin="\n".join(files) + "\n")
        (work / "payload.wxs").write_text(heat, encoding="utf-8")
        run("wixl", "-a", "x64", "-D", "SourceDir=payload", "-D", "Win64=yes", "-D",
            f"Version={version}", "-o", "wfh-client.msi", "wfh-client.wxs", "payload.wxs",
            cwd=work)
        for sql in PATCHES:
            run("msibuild", "wfh-client.msi", "-q", sql, cwd=work)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "wfh-client.msi", out)
    return out


def throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed code-signing certificate for CI only (never for a release)."""
    cert, key = folder / "ci-signing.crt", folder / "ci-signing.key"
    run("openssl", "req", "-x509", "-newkey", "rsa:3072", "-nodes", "-sha256", "-days", "2",
        "-subj", "/CN=WFH Client CI throwaway signing/O=CI only",
        "-addext", "extendedKeyUsage=codeSigning", "-keyout", str(key), "-out", str(cert))
    return cert, key


def sign(msi: Path, cert: Path, key: Path, timestamp: str | None = None) -> None:
    signed = msi.with_suffix(".signed.msi")
    cmd = ["osslsigncode", "sign", "-certs", str(cert), "-key", str(key), "-h", "sha256",
           "-n", "WFH Client", "-i", "https://motcua.gov.vn/", "-in", str(msi),
           "-out", str(signed)]
    if timestamp:
        cmd += ["-ts", timestamp]
    run(*cmd)
    signed.replace(msi)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("payload", type=Path, nargs="?", help="the Windows PyInstaller folder")
    parser.add_argument("out", type=Path, help="the .msi to write")
    parser.add_argument("--version", required=True, help="ProductVersion (x.y.z)")
    parser.add_argument("--stand-in", action="store_true",
                        help="build around placeholder files (Linux CI)")
    parser.add_argument("--sign-cert", type=Path)
    parser.add_argument("--sign-key", type=Path)
    parser.add_argument("--throwaway-cert", type=Path, metavar="DIR",
                        help="make a self-signed certificate in DIR and sign with it (CI)")
    parser.add_argument("--timestamp", help="RFC 3161 time-stamp server URL")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        payload = args.payload
        if args.stand_in:
            payload = Path(tmp) / "payload"
            stand_in_payload(payload)
        if payload is None:
            parser.error("PAYLOAD is required without --stand-in")
        msi = build(payload, args.out.resolve(), args.version)
    cert, key = args.sign_cert, args.sign_key
    if args.throwaway_cert:
        args.throwaway_cert.mkdir(parents=True, exist_ok=True)
        cert, key = throwaway_certificate(args.throwaway_cert)
    if cert and key:
        sign(msi, cert, key, args.timestamp)
    print(msi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
