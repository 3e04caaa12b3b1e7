"""`medshare import FILE --person NAME`: whose posts these are, from the command line."""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.core.models import Person
from medshare_desktop.core.ports import PostFilter
from tests.cli.test_cli import medshare

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def _people(db: Path, *names: str) -> dict[str, int]:
    from medshare_desktop.bootstrap import build_services

    services = build_services(str(db), actor="tester")
    try:
        return {name: services.people.add_person(Person(None, name)).id for name in names}
    finally:
        services.close()


def _count(db: Path, person_id: int | None = None) -> int:
    from medshare_desktop.bootstrap import build_services

    services = build_services(str(db), actor="tester")
    try:
        return services.posts.count(PostFilter(person_id=person_id))
    finally:
        services.close()


def test_import_with_person_links_every_new_post_to_that_person(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    ids = _people(db, "Dr. Lena Ortiz")
    result = medshare("import", str(DATA / "x_archive"), "--person", "lena ortiz", db=db)
    assert result.returncode == 0, result.stderr
    assert "not linked" not in result.stdout
    assert _count(db, ids["Dr. Lena Ortiz"]) == _count(db) > 0


def test_an_unknown_person_exits_2_with_one_line_and_imports_nothing(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    _people(db, "Dr. Lena Ortiz")
    result = medshare("import", str(DATA / "x_archive"), "--person", "Lena Ortis", db=db)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "No person named 'Lena Ortis'" in result.stderr
    assert _count(db) == 0


def test_without_person_the_import_says_how_many_posts_no_one_is_linked_to(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    result = medshare("import", str(DATA / "x_archive"), db=db)
    assert result.returncode == 0, result.stderr
    total = _count(db)
    assert f"{total} not linked to a person" in result.stdout
    assert "Dr. Jane Rivera (@drjrivera, X)" in result.stdout and "--person NAME" in result.stdout
