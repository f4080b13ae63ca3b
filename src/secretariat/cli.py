"""The `secretariat` console command.

    secretariat serve [ADDR]     the embedded set-up (what `scripts/run` starts): the production
                                 web server (gunicorn, DEBUG off, static files by WhiteNoise) on
                                 ADDR (default 127.0.0.1:8000) with a job worker and the daily
                                 scheduler beside it; Ctrl-C or SIGTERM stops all three
    secretariat devserver [ADDR] Django's development server (DEBUG on, reloads on code changes),
                                 without worker or scheduler; for development only
    secretariat worker           run background jobs (several may run on PostgreSQL); database
                                 errors are waited out, liveness shows on /system/status/
    secretariat scheduler        enqueue daily jobs at their time
    secretariat setup            load the reference data (agency registry, keyword table seed)
    secretariat migrate | demo | createadmin | check | audit verify | …

Anything else is passed to Django's management commands.
"""

from __future__ import annotations

import os
import sys


def _django(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["secretariat", *argv])


# One gunicorn process with threads: SQLite lets one connection write at a time however many
# processes there are, WAL lets the threads read beside it, and one process keeps one copy of
# what is loaded on first use (the routing model, WeasyPrint's fonts, matplotlib, jieba).
WEB_THREADS = 4
LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


def serve(args: list[str]) -> int:
    from secretariat import supervisor

    addr = args[0] if args else os.environ.get("SECRETARIAT_ADDR", "127.0.0.1:8000")
    os.environ["DEBUG"] = "0"
    from django.core.exceptions import ImproperlyConfigured

    try:  # the settings make the data dir and its secret key once, before the three start
        from secretariat import settings
    except ImproperlyConfigured as error:
        print(error, file=sys.stderr)
        return 1
    if not settings.PRODUCTION:
        os.environ.setdefault("SECURE_COOKIES", "0")  # plain HTTP: see settings.py
    if addr.rpartition(":")[0] not in LOOPBACK:
        print(
            f"注意：{addr} 以純 HTTP 對外提供服務。正式環境請依 docs/operations.md 以 nginx（TLS）"
            "加 gunicorn 部署，並設定 ALLOWED_HOSTS。",
            file=sys.stderr,
        )
    here = [sys.executable, "-m", "secretariat.cli"]
    web = [sys.executable, "-m", "gunicorn", "secretariat.wsgi", "--bind", addr]
    web += ["--workers", "1", "--threads", str(WEB_THREADS), "--timeout", "120"]
    web += ["--graceful-timeout", "10", "--no-control-socket"]
    children = [
        supervisor.Child("網頁伺服器", web, essential=True),
        supervisor.Child("背景工作程序", [*here, "worker"], essential=False),
        supervisor.Child("每日排程", [*here, "scheduler"], essential=False),
    ]
    print(f"啟動中：http://{addr} （Ctrl-C 停止）", file=sys.stderr)
    return supervisor.Supervisor(children, dict(os.environ)).run()


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        # Ctrl-C before a command has set up its own stop (e.g. the worker still starting
        # Django when the terminal's signal reaches the whole group): stop without a traceback,
        # with the shell's status for an interrupt.
        return 130


def _run(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "serve":
        return serve(rest)
    if command == "devserver":
        _django(["runserver", *(rest or [os.environ.get("SECRETARIAT_ADDR", "127.0.0.1:8000")])])
        return 0
    if command == "worker":
        _django(["worker", "--queue-name", "*", *rest])
        return 0
    _django([command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
