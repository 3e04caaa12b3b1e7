"""`medshare` / `python -m medshare_desktop`: the window, or a subcommand when one is given."""

from __future__ import annotations

import sys

from medshare_desktop import cli


def main(argv: list[str] | None = None) -> int:
    args = cli.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from medshare_desktop import app

        return app.run(args)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
