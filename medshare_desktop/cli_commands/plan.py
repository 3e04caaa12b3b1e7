"""`medshare plan --month YYYY-MM [--json] [--apply] [--channel CH]`: draft a month of re-shares.

Prints the draft (one line, or one JSON object, per drafted re-share; then why people got nothing, on
stderr in line mode). --apply schedules it through the schedule service: one audit event per re-share; a
re-share refused meanwhile is reported and the rest still go ahead. A past or malformed month: one line,
exit 2.
"""

from __future__ import annotations

import argparse
import sys

from medshare_desktop.core.models import Channel

NAME = "plan"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from medshare_desktop.cli import month_arg

    cmd = sub.add_parser(
        NAME,
        help="propose a month of re-shares under every rule (--apply schedules it)",
        description="Draft a month of re-shares from approved posts: monthly limits, consent per scope and "
        "channel, spacing, the channel's daily cap and no past days all hold, and voices are spread across "
        "people and departments. Nothing is written without --apply.",
    )
    cmd.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
    cmd.add_argument("--json", action="store_true", help="one JSON object per drafted re-share per line")
    cmd.add_argument("--apply", action="store_true", help="schedule the draft (one audit event per re-share)")
    cmd.add_argument(
        "--channel", choices=[c.value for c in Channel], default=Channel.PUBLIC_SOCIAL.value,
        help="the channel the re-shares go out on (default: public_social)",
    )


def run(args: argparse.Namespace) -> int:
    from medshare_desktop.cli import EXIT_OK, json_line, services_for
    from medshare_desktop.core.services.plan_service import suggestion_ranker

    services = services_for(args)
    try:
        planner = services.schedule.planner(rank=suggestion_ranker(services.suggestions))
        plan = planner.propose(args.month.year, args.month.month, Channel(args.channel))
        result = planner.accept(plan.ghosts) if args.apply else None
    finally:
        services.close()
    refused = {g.post_id: reason for g, reason in result.refused} if result else {}
    shares = {g.post_id: s.id for g, s in result.accepted} if result else {}
    for ghost in plan.ghosts:
        if args.json:
            record: dict[str, object] = {
                "post_id": ghost.post_id,
                "person": ghost.person_name,
                "department": ghost.department,
                "day": ghost.day.isoformat(),
                "channel": ghost.channel.value,
                "why": ghost.why,
            }
            if result is not None:
                record["status"] = "refused" if ghost.post_id in refused else "scheduled"
                if ghost.post_id in refused:
                    record["reason"] = refused[ghost.post_id]
                else:
                    record["share_id"] = shares.get(ghost.post_id)
            sys.stdout.write(json_line(record))
        else:
            status = ""
            if result is not None:
                status = f"  REFUSED: {refused[ghost.post_id]}" if ghost.post_id in refused else "  scheduled"
            sys.stdout.write(
                f"{ghost.day.isoformat()}  {ghost.channel.value}  post {ghost.post_id}  {ghost.person_name}"
                f"{' (' + ghost.department + ')' if ghost.department else ''}  {ghost.excerpt[:60]}{status}\n"
            )
    if not args.json:
        for note in plan.left_out:
            sys.stderr.write(f"medshare: plan: not drafted: {note}\n")
        summary = f"{len(plan.ghosts)} re-share(s) drafted for {args.month:%B %Y}"
        if result is not None:
            summary += f"; {result.summary()}"
        sys.stdout.write(summary + ("" if args.apply else " (nothing written; --apply schedules them)") + "\n")
    return EXIT_OK
