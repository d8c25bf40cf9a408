# Build the Windows payload on a Windows runner (PyInstaller cannot cross-compile):
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1 `
#       [-CertificateThumbprint <SHA-1 of the code-signing certificate on the token>]
#
# Makes build\windows\bundle\wfh-client (wfh-client.exe console, wfh-client-gui.exe windowed,
# _internal\) with python.org's Python 3.11 (no build-machine paths baked in), the three wheels
# and the same spec as Linux, runs the GUI self-test, and signs both EXEs. The MSI is then
# built from that folder on Linux with the same script as CI (wixl + msibuild):
#   python3 installer/msi/build_msi.py build/windows/bundle/wfh-client wfh-client-X.Y.Z-x64.msi --version X.Y.Z
# (.github/workflows/windows-installer.yml chains both jobs.)
#
# Signing: production code-signing keys live in a hardware token or HSM (CA/B Forum baseline
# requirements, since June 2023). signtool selects the certificate by thumbprint and the
# token's CSP/KSP signs; the private key never leaves the device. EXEs are signed before the
# MSI is built, the MSI last (osslsigncode with the token's PKCS#11 module on Linux).
param(
    [string]$CertificateThumbprint = "",
    [string]$TimestampUrl = "http://timestamp.digicert.com"
)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$out = "build\windows"
New-Item -ItemType Directory -Force -Path $out | Out-Null

py -3.11 -m venv build\pyi-venv-win
$py = "build\pyi-venv-win\Scripts\python.exe"
& $py -m pip install --upgrade pip
& $py -m pip wheel --no-deps -w "$out\wheels" . packaging\domain packaging\server
& $py -m pip install "pyinstaller==6.22.3" (Get-ChildItem "$out\wheels\wfh_domain-*.whl").FullName (Get-ChildItem "$out\wheels\wfh_client-*.whl").FullName
& "build\pyi-venv-win\Scripts\pyinstaller.exe" --noconfirm --distpath "$out\bundle" --workpath build\pyi-work-win installer\pyinstaller\wfh-client.spec

& "$out\bundle\wfh-client\wfh-client.exe" --version
$env:QT_QPA_PLATFORM = "offscreen"
$p = Start-Process -FilePath "$out\bundle\wfh-client\wfh-client-gui.exe" -ArgumentList "--self-test" -Wait -PassThru
if ($p.ExitCode -ne 0) { throw "the GUI self-test failed (see the log under %LOCALAPPDATA%\wfh-client\Logs)" }

if ($CertificateThumbprint -ne "") {
    foreach ($exe in "wfh-client.exe", "wfh-client-gui.exe") {
        signtool sign /sha1 $CertificateThumbprint /fd SHA256 /tr $TimestampUrl /td SHA256 /d "WFH Client" "$out\bundle\wfh-client\$exe"
        signtool verify /pa "$out\bundle\wfh-client\$exe"
    }
} else {
    Write-Warning "EXEs not signed: pass -CertificateThumbprint for a release"
}
Write-Host "payload ready: $out\bundle\wfh-client"
