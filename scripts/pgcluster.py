#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster.

    python scripts/pgcluster.py -- pytest -q

Starts a private cluster from the installed server binaries (initdb with C.UTF-8 and UTF8, a
free port on 127.0.0.1, trust auth, a temporary data directory), sets DATABASE_URL for the
command, and removes the cluster afterwards. As root the server runs as the ``postgres`` user
(PostgreSQL refuses to run as root). Exit status: the command's, or 97 when no server binaries
are installed (the caller decides whether that is a failure: it is under CI=true).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

NO_SERVER = 97


def find_bindir() -> Path | None:
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(found).parent))
    for candidate in candidates:
        if (
            candidate
            and (Path(candidate) / "initdb").exists()
            and (Path(candidate) / "postgres").exists()
        ):
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def cluster(user: str = "secretariat") -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh cluster; stop and delete it afterwards."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, postgres) not found")
    workdir = Path(tempfile.mkdtemp(prefix="secretariat-pg-"))
    datadir, port = workdir / "data", free_port()
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(datadir),
                    "-U",
                    user,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(datadir),
                    "-l",
                    str(workdir / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), timeout=1),
            ):
                break
            time.sleep(0.2)
        yield f"postgres://{user}@127.0.0.1:{port}/postgres"
    finally:
        if (datadir / "postmaster.pid").exists():
            subprocess.run(
                _as_server_user(
                    [str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"]
                ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(__doc__)
        return 2
    try:
        with cluster() as url:
            print(f"PostgreSQL 叢集已啟動：{url}", flush=True)
            return subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}).returncode
    except FileNotFoundError as error:
        print(f"找不到 PostgreSQL：{error}", file=sys.stderr)
        return NO_SERVER


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
