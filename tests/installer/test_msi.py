"""11.4: the MSI built on Linux with wixl, checked through its tables (msiinfo) and signature.

Per-machine, MajorUpgrade with the fixed UpgradeCode, SERVER_URL written to the HKLM policy
key only when given (component condition) and remembered on upgrade (AppSearch + the saved
command-line value), the policy folder locked to administrators, uninstall removes what it
installed (nothing is left outside components), signed (osslsigncode verifies)."""

from __future__ import annotations

import subprocess
from pathlib import Path

UPGRADE_CODE = "{F2286D69-B9D4-49D0-A2A1-9105AAE5E2CB}"
POLICY_KEY = r"SOFTWARE\Policies\MotCua\WFHClient"


def table(msi: Path, name: str) -> list[list[str]]:
    out = subprocess.run(["msiinfo", "export", str(msi), name], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return [line.split("\t") for line in out.splitlines()[3:] if line]


def test_per_machine_with_a_fixed_upgrade_code(msi: Path) -> None:
    props = {r[0]: r[1] for r in table(msi, "Property")}
    assert props["ALLUSERS"] == "1"
    assert props["UpgradeCode"].upper() == UPGRADE_CODE
    assert props["ProductVersion"] == "0.1.0"
    upgrade = table(msi, "Upgrade")
    assert {r[0].upper() for r in upgrade} == {UPGRADE_CODE}
    assert {r[-1] for r in upgrade} == {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"}
    sequence = {r[0]: int(r[-1]) for r in table(msi, "InstallExecuteSequence")}
    assert "RemoveExistingProducts" in sequence and "FindRelatedProducts" in sequence
    summary = subprocess.run(["msiinfo", "suminfo", str(msi)], capture_output=True, text=True,
                             check=True).stdout
    assert "x64" in summary


def test_server_url_goes_to_the_policy_key_and_is_remembered(msi: Path) -> None:
    registry = table(msi, "Registry")
    row = next(r for r in registry if r[3] == "server_url")
    assert row[1] == "2" and row[2] == POLICY_KEY and row[4] == "[SERVER_URL]"  # 2 = HKLM
    component = next(r for r in table(msi, "Component") if r[0] == row[5])
    assert component[4] == "SERVER_URL"  # patched: no empty value without the property
    assert int(component[3]) & 4  # msidbComponentAttributesRegistryKeyPath
    # remember-property: the registry is read back (AppSearch) unless the command line set it
    assert ["SERVER_URL", "RememberServerUrl"] in table(msi, "AppSearch")
    locator = next(r for r in table(msi, "RegLocator") if r[0] == "RememberServerUrl")
    assert locator[1:4] == ["2", POLICY_KEY, "server_url"] and int(locator[4]) & 16  # 64-bit
    actions = {r[0]: r for r in table(msi, "CustomAction")}
    assert actions["SaveCmdLineServerUrl"][2:4] == ["CMDLINE_SERVER_URL", "[SERVER_URL]"]
    assert actions["SetFromCmdLineServerUrl"][2:4] == ["SERVER_URL", "[CMDLINE_SERVER_URL]"]
    for name in ("InstallExecuteSequence", "InstallUISequence"):
        seq = {r[0]: (r[1], int(r[2])) for r in table(msi, name)}
        assert seq["SaveCmdLineServerUrl"][1] < seq["AppSearch"][1] < \
            seq["SetFromCmdLineServerUrl"][1]
        assert seq["SaveCmdLineServerUrl"][0] == "SERVER_URL"
    secure = {r[0]: r[1] for r in table(msi, "Property")}["SecureCustomProperties"]
    assert {"SERVER_URL", "CMDLINE_SERVER_URL"} <= set(secure.split(";"))


def test_policy_folder_is_locked_and_everything_is_a_component(msi: Path) -> None:
    locks = table(msi, "MsiLockPermissionsEx")
    assert len(locks) == 1 and locks[0][1:3] == ["POLICYDIR", "CreateFolder"]
    sddl = locks[0][3]
    assert sddl.startswith("D:PAI") and "(A;OICI;FA;;;SY)" in sddl and "(A;OICI;FA;;;BA)" in sddl
    assert "(A;OICI;0x1200a9;;;BU)" in sddl  # users: read and execute only
    directories = {r[0]: r for r in table(msi, "Directory")}
    assert directories["POLICYDIR"][1:] == ["CommonAppDataFolder", "WFH Client"]
    assert directories["INSTALLDIR"][1:] == ["ProgramFiles64Folder", "WFH Client"]
    files = {r[2] for r in table(msi, "File")}
    assert {"wfh-client.exe", "wfh-client-gui.exe"} <= files
    # uninstall removes everything: no custom action writes outside the tables, every file,
    # registry value and folder belongs to a component of the one feature
    components = {r[0] for r in table(msi, "Component")}
    assert {r[1] for r in table(msi, "FeatureComponents")} == components
    assert {r[0] for r in table(msi, "CustomAction")} == {"SaveCmdLineServerUrl",
                                                          "SetFromCmdLineServerUrl"}
    assert table(msi, "Shortcut")[0][4] == "[INSTALLDIR]wfh-client-gui.exe"


def test_signed(msi: Path, packages: Path) -> None:
    r = subprocess.run(["osslsigncode", "verify", "-CAfile",
                        str(packages / "signing" / "ci-signing.crt"), "-in", str(msi)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Signature verification: ok" in r.stdout, r.stdout + r.stderr
