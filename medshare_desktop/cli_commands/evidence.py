"""`medshare evidence POST_ID --out FILE.zip` and `medshare evidence --verify FILE.zip`.

The export holds the snapshot kept when the post was approved (snapshot.json, exactly the bytes whose
SHA-256 the approval's audit event seals), a PDF summary, verification.txt and the consent forms in
force. The export exits 0 when the snapshot matches its sealed audit event and the trail verifies; when
not, the zip is still written (it says why) and one line on stderr, exit 2. `--verify` checks an exported
zip's snapshot.json against this database's audit trail. A bad post id, a post not approved, a missing
folder: one line, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medshare_desktop.cli_commands._pdf import offscreen_qt

NAME = "evidence"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser(
        NAME,
        help="export the evidence kept when a post was approved (zip: snapshot, PDF summary, verification)",
        description="Export the immutable snapshot kept at a post's approval — the text approved, every finding "
        "and its resolution, the consent in force, who approved it and when — with a PDF summary and a check "
        "against the sealed audit trail; or check an exported zip (--verify).",
    )
    cmd.add_argument("post_id", nargs="?", type=int, metavar="POST_ID", help="the approved post's id")
    cmd.add_argument("--out", type=Path, metavar="FILE.zip", help="the zip file to write")
    cmd.add_argument("--verify", type=Path, metavar="FILE.zip", help="check an exported zip against the audit trail")


def run(args: argparse.Namespace) -> int:
    from medshare_desktop.cli import EXIT_BAD_INPUT, EXIT_OK, fail, missing_folder

    if args.verify is not None:
        if args.post_id is not None or args.out is not None:
            return fail("evidence --verify FILE.zip takes no POST_ID or --out")
        return _verify(args)
    if args.post_id is None or args.out is None:
        return fail("evidence needs POST_ID --out FILE.zip (or --verify FILE.zip)")
    if problem := missing_folder(args.out):
        return fail(problem)
    if args.out.is_dir():
        return fail(f"{args.out}: is a folder; name the zip file to write")
    from medshare_desktop.cli import services_for
    from medshare_desktop.core.services.evidence_service import export_zip

    services = services_for(args)
    try:
        services.approvals.exportable(args.post_id)  # a bad id or a post not approved: before starting Qt
        with offscreen_qt():
            from medshare_desktop.ui.printing.evidence_summary import summary_pdf

            package = export_zip(services.approvals, args.post_id, args.out, summary_pdf)
    finally:
        services.close()
    check = package.check
    sys.stdout.write(
        f"{args.out}: evidence of post {args.post_id}, approved by {package.evidence.approved_by} "
        f"on {package.evidence.approved_at:%Y-%m-%d %H:%M} UTC; snapshot SHA-256 {check.computed_sha256}; "
        + ("verified against the audit trail\n" if check.verified else "NOT VERIFIED (see verification.txt)\n")
    )
    if not check.verified:
        first = (list(check.snapshot_problems) + list(check.chain_problems))[0]
        sys.stderr.write(f"medshare: error: post {args.post_id}: evidence NOT VERIFIED: {first}\n")
        return EXIT_BAD_INPUT
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from medshare_desktop.cli import EXIT_BAD_INPUT, EXIT_OK, services_for
    from medshare_desktop.core.services.evidence_service import read_zip_snapshot

    snapshot = read_zip_snapshot(args.verify)
    services = services_for(args)
    try:
        check = services.approvals.verify_file(snapshot)
    finally:
        services.close()
    sys.stdout.write("\n".join(check.lines()) + "\n")
    if not check.verified:
        first = (list(check.snapshot_problems) + list(check.chain_problems))[0]
        sys.stderr.write(f"medshare: error: {args.verify}: NOT VERIFIED: {first}\n")
        return EXIT_BAD_INPUT
    return EXIT_OK

