"""One `medshare import` started in step with another: `python -m tests.importers.import_process BARRIER N ARGS...`.

Creates BARRIER/ready-<pid>, waits until N such files exist, then runs the command line with ARGS
exactly as `medshare` would and exits with its status (stdout and stderr are the CLI's own).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from medshare_desktop.__main__ import main

if __name__ == "__main__":
    barrier, count, args = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    (barrier / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 60
    while len(list(barrier.glob("ready-*"))) < count and time.monotonic() < deadline:
        time.sleep(0.005)
    sys.exit(main(args))
