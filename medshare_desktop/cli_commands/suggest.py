"""`medshare suggest [--json] [--limit N] [--channel CH] [--all]`: the posts most worth re-sharing next.

Best first: one line per post (score, post id, person, the strongest reasons), or with --json one JSON
object per line: {"post_id", "person", "score", "reasons"}. By default only posts that can still be
re-shared (new, in review, approved); --all lists rejected, scheduled and shared posts too (score 0).
A limit that is not a positive whole number: one line, exit 2.
"""

from __future__ import annotations

import argparse
import sys

from medshare_desktop.core.models import Channel

NAME = "suggest"
REASONS_IN_LINE = 3


def _positive(value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a positive whole number (for example 20)")
    return int(value)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser(
        NAME,
        help="the posts most worth re-sharing next, with the reasons",
        description="Score every post 0-100 on content quality, engagement, freshness (or evergreen), "
        "the author's standing (voices not yet re-shared first) and room under the monthly limit; a post "
        "with an open high finding is never suggested above one without. Weights: Settings.",
    )
    cmd.add_argument("--json", action="store_true", help="one JSON object per post per line")
    cmd.add_argument("--limit", type=_positive, metavar="N", help="only the N best")
    cmd.add_argument(
        "--channel", choices=[c.value for c in Channel], default=Channel.PUBLIC_SOCIAL.value,
        help="the channel the re-share would go out on (length fit, photo consent; default: public_social)",
    )
    cmd.add_argument("--all", action="store_true", help="include rejected, scheduled and shared posts")


def run(args: argparse.Namespace) -> int:
    from medshare_desktop.cli import EXIT_OK, json_line, services_for

    services = services_for(args)
    try:
        found = services.suggestions.ranked(
            limit=args.limit, candidates_only=not args.all, channel=Channel(args.channel)
        )
    finally:
        services.close()
    out = sys.stdout
    for s in found:
        if args.json:
            out.write(json_line(s.as_json()))
        else:
            out.write(f"{s.score:3d}  post {s.post_id}  {s.person}: {'; '.join(s.reasons[:REASONS_IN_LINE])}\n")
    if not found and not args.json:
        sys.stderr.write("No posts to suggest.\n")
    return EXIT_OK
