"""A throw-away PostgreSQL cluster for the test run: initdb in a temporary folder, a free port, stopped at the end.

Used by tests/conftest.py when no server is named in MEDSHARE_TEST_PG_URL. Debian's `postgresql`
package puts the server programs in /usr/lib/postgresql/<version>/bin (not on PATH); they refuse to
run as root, so under root (CI containers) the cluster runs as the `postgres` system user.

    python -m tests.pg_server start FOLDER   # prints the URL; for trying things by hand
    python -m tests.pg_server stop FOLDER
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "medshare_test"
PASSWORD = "medshare-test-only"  # a throw-away cluster on 127.0.0.1, deleted after the run


def server_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then Debian's versioned folders (newest first)."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]), reverse=True)
    candidates += sorted(glob.glob("/usr/local/pgsql/bin/pg_ctl")) + sorted(glob.glob("/opt/homebrew/bin/pg_ctl"))
    return Path(candidates[0]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as_server_user(command: list[str], folder: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a server program; under root as the `postgres` system user (Python's own setuid in the child: no
    runuser/su needed, which live in /usr/sbin, off a plain user's PATH), in the cluster's folder."""
    as_user: dict[str, object] = {}
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        as_user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout, cwd=folder,
                          **as_user)  # type: ignore[call-overload]


def _chown_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass
class Cluster:
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str = PASSWORD) -> str:
        return f"postgresql+psycopg://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def start_again(self) -> None:
        """Start the server on the same data folder and port (after stop(): a server that went away comes back)."""
        bin_dir = server_bin()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL server programs found (Debian/Ubuntu: apt-get install postgresql)")
        _pg_ctl_start(bin_dir, self.folder, self.port)
        _wait_ready(self)

    def stop(self) -> None:
        bin_dir = server_bin()
        if bin_dir is None or not (self.data / "postmaster.pid").exists():
            return
        _run_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                            self.folder, 60)


def start(folder: Path) -> Cluster:
    """initdb + start on a free port; raises RuntimeError with the server's own words when it cannot."""
    bin_dir = server_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server programs found (Debian/Ubuntu: apt-get install postgresql)")
    folder.mkdir(parents=True, exist_ok=True)
    for path in (folder,):
        os.chmod(path, 0o755)
        _chown_to_server_user(path)
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
    _chown_to_server_user(pwfile)
    data = folder / "data"
    init = _run_as_server_user(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, f"--pwfile={pwfile}",
         "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
        folder, 120)
    if init.returncode != 0:
        raise RuntimeError(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
    cluster = Cluster(folder, free_port())
    cluster.start_again()
    return cluster


def _pg_ctl_start(bin_dir: Path, folder: Path, port: int) -> None:
    options = (f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
               "-c shared_buffers=64MB")
    log_file = folder / "server.log"
    started = _run_as_server_user(
        [str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-o", options, "-l", str(log_file), "-w", "-t", "60",
         "start"],
        folder, 90)
    if started.returncode != 0:
        tail = log_file.read_text(encoding="utf-8", errors="replace")[-2000:] if log_file.exists() else ""
        raise RuntimeError(f"the PostgreSQL server did not start: {started.stderr.strip()} {tail}")


def _wait_ready(cluster: Cluster, seconds: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(host="127.0.0.1", port=cluster.port, user=SUPERUSER, password=PASSWORD,
                                 dbname="postgres", connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__)
        return 2
    folder = Path(argv[1]).resolve()
    if argv[0] == "start":
        cluster = start(folder)
        (folder / "port").write_text(str(cluster.port), encoding="utf-8")
        print(cluster.url())
    else:
        Cluster(folder, int((folder / "port").read_text(encoding="utf-8"))).stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
