"""The `secretariat` console command.

    secretariat serve [ADDR]     run the web app (default 127.0.0.1:8000) with a job worker and
                                 the daily scheduler beside it (the embedded set-up)
    secretariat worker           run background jobs (several may run on PostgreSQL); database
                                 errors are waited out, liveness shows on /system/status/
    secretariat scheduler        enqueue daily jobs at their time
    secretariat setup            load the reference data (agency registry, keyword table seed)
    secretariat migrate | demo | createadmin | check | audit verify | …

Anything else is passed to Django's management commands.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def _django(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["secretariat", *argv])


def serve(args: list[str]) -> int:
    addr = args[0] if args else os.environ.get("SECRETARIAT_ADDR", "127.0.0.1:8000")
    helpers = [
        subprocess.Popen([sys.executable, "-m", "secretariat.cli", "worker"]),
        subprocess.Popen([sys.executable, "-m", "secretariat.cli", "scheduler"]),
    ]
    try:
        _django(["runserver", addr, "--noreload"])
    finally:
        for process in helpers:
            process.send_signal(signal.SIGTERM)
        for process in helpers:
            process.wait(timeout=10)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "serve":
        return serve(rest)
    if command == "worker":
        _django(["worker", "--queue-name", "*", *rest])
        return 0
    _django([command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
