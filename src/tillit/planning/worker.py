"""Starting the task worker beside the web server (`tillit serve`)."""

from __future__ import annotations

import subprocess
import sys


def start_background_worker() -> subprocess.Popen:
    """Start `tillit worker` as a child process that stops when its parent
    (the web server, which keeps this process id) stops."""
    return subprocess.Popen(
        [sys.executable, "-m", "tillit.cli", "worker", "--exit-with-parent", "--verbosity", "0"],
    )
