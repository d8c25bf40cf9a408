"""A real crash for the plaintext-copy tests: a child process opens a document for a viewer
(a decrypted copy on disk) and is killed with SIGKILL, so nothing of it can clean up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The child uses the store's public API: open a copy as the documents tab does, then hang
# (a viewer is reading it) until it is killed.
CHILD = """
import sys, time
from wfh_client.store import Cache
server, user, data = sys.argv[1:4]
cache = Cache.open(server, user, data_dir=data)
cache.documents.write_bytes("doc-kill", b"%PDF-1.4 CCCD 079301000123 Nguyen Thi Hoa")
with cache.documents.open_plaintext("doc-kill", "Ban sao CCCD.pdf") as path:
    print(path, flush=True)
    time.sleep(600)
"""


def leave_a_copy_by_kill(server_url: str, username: str, data_dir: Path) -> Path:
    """Start the child, wait for its decrypted copy, SIGKILL it; returns the copy's path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, server_url, username, str(data_dir)],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line, "the child did not open the document"
        path = Path(line)
        assert path.exists()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert path.exists(), "a killed process cannot have removed its copy"
    return path
