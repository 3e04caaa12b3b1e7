"""Entry script of the frozen build: the same `main()` as `medshare` / `python -m medshare_desktop`."""

import sys

from medshare_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
