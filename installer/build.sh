#!/usr/bin/env bash
# Build what the packaging checks (tests/installer) test, into OUT (default build/packages):
#   wheels/   the three distributions (client, shared rules, server)
#   bundle/   the PyInstaller one-folder build (wfh-client + wfh-client-gui)
#   *.deb     the Debian package
#   *.msi     the MSI around stand-in files (the real payload needs a Windows runner:
#             installer/windows/build.ps1), signed with a throwaway certificate
#   build-facts.json  durations and sizes
# PyInstaller runs under a Python that bakes no build-machine RUNPATH into libpython (Debian's
# /usr/bin/python3 by default; PYI_PYTHON overrides) and with a bootloader compiled here (PIE).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-build/packages}")
PYI_PYTHON=${PYI_PYTHON:-/usr/bin/python3}
PYI_VENV=${PYI_VENV:-build/pyi-venv}
PYINSTALLER_VERSION=6.22.3
mkdir -p "$OUT"
now() { date +%s.%N; }
t0=$(now)

libpython=$("$PYI_PYTHON" -c 'import sysconfig as s; print(s.get_config_var("LIBDIR") + "/" + s.get_config_var("INSTSONAME"))')
if readelf -d "$libpython" | grep -Eq 'RUNPATH|RPATH'; then
  echo "error: $libpython carries a RUNPATH (a pyenv build?): set PYI_PYTHON to Debian's python3" >&2
  exit 1
fi

# a clean copy of the tree (tracked and new files, nothing ignored): no stale build/ folders
SRC=$(mktemp -d)
trap 'rm -rf "$SRC"' EXIT
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$SRC" 2>/dev/null || true

if [ ! -x "$PYI_VENV/bin/pyinstaller" ]; then
  "$PYI_PYTHON" -m venv "$PYI_VENV"
  "$PYI_VENV/bin/python" -m pip install -q --upgrade pip
  PYINSTALLER_COMPILE_BOOTLOADER=1 "$PYI_VENV/bin/python" -m pip install -q \
    --no-binary pyinstaller "pyinstaller==$PYINSTALLER_VERSION"
fi
rm -rf "$OUT/wheels"
"$PYI_VENV/bin/python" -m pip wheel -q --no-deps -w "$OUT/wheels" \
  "$SRC" "$SRC/packaging/domain" "$SRC/packaging/server"
"$PYI_VENV/bin/python" -m pip install -q --force-reinstall --no-deps \
  "$OUT"/wheels/wfh_domain-*.whl "$OUT"/wheels/wfh_client-*.whl
"$PYI_VENV/bin/python" -m pip install -q "$OUT"/wheels/wfh_domain-*.whl "$OUT"/wheels/wfh_client-*.whl
t_wheels=$(now)

rm -rf "$OUT/bundle"
"$PYI_VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$OUT/bundle" \
  --workpath build/pyi-work installer/pyinstaller/wfh-client.spec
t_bundle=$(now)

rm -f "$OUT"/*.deb
python3 installer/deb/build_deb.py "$OUT/bundle/wfh-client" "$OUT"
t_deb=$(now)

VERSION=$("$OUT/bundle/wfh-client/wfh-client" --version | awk '{print $2}')
rm -f "$OUT"/*.msi
python3 installer/msi/build_msi.py --stand-in --version "$VERSION" \
  --throwaway-cert "$OUT/signing" "$OUT/wfh-client-$VERSION-x64.msi"
t_msi=$(now)

python3 - "$OUT" "$t0" "$t_wheels" "$t_bundle" "$t_deb" "$t_msi" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1]); t = [float(x) for x in sys.argv[2:]]
size = lambda p: sum(f.stat().st_size for f in p.rglob("*") if f.is_file() and not f.is_symlink())
facts = {
    "seconds": {"wheels": t[1] - t[0], "bundle": t[2] - t[1], "deb": t[3] - t[2], "msi": t[4] - t[3]},
    "bytes": {"bundle": size(out / "bundle"),
              "deb": sum(f.stat().st_size for f in out.glob("*.deb")),
              "msi": sum(f.stat().st_size for f in out.glob("*.msi")),
              "wheels": {f.name: f.stat().st_size for f in (out / "wheels").glob("*.whl")}},
}
(out / "build-facts.json").write_text(json.dumps(facts, indent=2) + "\n")
print(json.dumps(facts, indent=2))
PY
