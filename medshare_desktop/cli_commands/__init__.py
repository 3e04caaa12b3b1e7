"""Subcommands that live in their own modules (one module per command), registered here.

Each module named in `COMMAND_MODULES` defines:

    NAME: str                                        # the subcommand, e.g. "suggest"
    def add_parser(sub) -> None                      # sub.add_parser(NAME, help=...) and its arguments
    def run(args: argparse.Namespace) -> int         # exit status (cli.EXIT_OK / cli.EXIT_BAD_INPUT)

`cli.build_parser` and `cli.run` call them; the shared helpers (`cli.fail`, `cli.services_for`,
`cli.json_line`, `cli.missing_folder`, `cli.month_arg`) come from `medshare_desktop.cli`. A MedshareError
raised by `run` becomes the usual one-line message and exit 2.
"""

from __future__ import annotations

import importlib
from types import ModuleType

COMMAND_MODULES: tuple[str, ...] = ("plan", "policy", "note", "evidence", "suggest", "report", "server", "migrate_to")


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in COMMAND_MODULES]
