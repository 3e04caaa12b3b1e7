"""Entry script of the frozen build: the same `main()` as `medshare` / `python -m medshare_desktop`."""

import os
import sys

# The windowed program (MedShareDesktop.exe on Windows) has no console: sys.stdout and sys.stderr are
# None there, and a plain `sys.stderr.write(...)` on an error path would crash instead of showing the
# dialog. Give them a sink; the log file keeps what matters.
if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

from medshare_desktop.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
