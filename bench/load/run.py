"""Load test (issue 15): the served app under concurrent users, measured from outside with
locust (headless, bounded in users and time).

    .venv/bin/pip install -c constraints.txt -e '.[bench]'
    .venv/bin/python bench/load/run.py [--users 20] [--duration 60] [--cases 5000]

Builds a throwaway SQLite installation in a temp dir: ``migrate``, ``demo`` and ``--cases``
historical petitions imported through the petitions importer (a year of cases over the real
agency registry, for the case list and the search to have something to page through). Starts
the documented production processes — ``gunicorn secretariat.wsgi -w 4 --timeout 120`` and
one ``secretariat worker`` — with DEBUG off, then runs locust/locustfile.py against them:
staff (收發人員) reading the case list and searching, citizens looking up their case's status
(one lookup per browser session, then the status page and now and then the lookup again), and
citizens sending petitions through the public form. Every simulated client comes from
127.0.0.1, so the per-address limits of the public pages are lifted for the run (they would
otherwise refuse the 6th petition in an hour); everything else is as deployed.

Prints one JSON object (per request name: count, failures, median, p95, p99 in ms; the totals
and requests per second); results are kept in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STAFF = "sec-clerk"
STAFF_PASSWORD = "taipei-demo-115"  # core demo accounts
CITIZEN_PASSWORD = "ABCD2345"  # petitions demo
SUBJECTS = [
    ("人行道地磚破損", "人行道地磚破損翹起，行人容易絆倒，請儘速修復。", "都發局"),
    ("路燈不亮", "巷口路燈已不亮一週，夜間行走危險，請派員維修。", "工務局"),
    ("夜間違規停車", "夜間違規停車嚴重，消防車難以通行，請加強取締。", "警察局"),
    ("公車班距過長", "尖峰時段公車班距過長，請增加班次。", "交通局"),
    ("水壓不足", "清晨水壓不足，高樓層無水可用，請協助改善。", "北水處"),
    ("垃圾清運時間", "建議調整垃圾車收運時間，方便上班族。", "環保局"),
    ("公園設施損壞", "公園兒童遊具損壞，恐有安全疑慮，請修繕。", "工務局"),
    ("噪音擾鄰", "工地夜間施工噪音擾鄰，請依法稽查。", "環保局"),
]
QUERIES = ["人行道", "路燈", "違規停車", "公車", "水壓", "垃圾", "噪音", "公園遊具"]
HEADER = "案號,收件日期,主旨,內容,來源管道,陳情類別,陳情人,主辦機關,分辦日期,主辦回復日期,結案日期"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _history(cases: int, today: dt.date) -> str:
    """A year of closed and open petitions in the importer's CSV format (docs/import.md)."""
    rng = random.Random(115)
    rows = [HEADER]
    for n in range(1, cases + 1):
        subject, body, agency = rng.choice(SUBJECTS)
        received = today - dt.timedelta(days=365 - n * 360 // cases)
        routed = received + dt.timedelta(days=1)
        closed = received < today - dt.timedelta(days=20)
        replied = (routed + dt.timedelta(days=5)).isoformat() if closed else ""
        done = (routed + dt.timedelta(days=7)).isoformat() if closed else ""
        rows.append(
            f"陳{received.year - 1911}9{n:05d},{received.isoformat()},{subject}（{n}）,{body},"
            f"網路表單,,,{agency},{routed.isoformat()},{replied},{done}"
        )
    return "\n".join(rows) + "\n"


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "secretariat"), *args], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"secretariat {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _demo_numbers(env: dict) -> list[str]:
    code = (
        "import django; django.setup();"
        "from secretariat.petitions.models import Petition;"
        "print(','.join(Petition.objects.values_list('case__number', flat=True)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().split(",")


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("the server did not start")


def _stats(prefix: Path) -> dict:
    figures = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            figures[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "requests_per_s": round(float(row["Requests/s"]), 1),
            }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--cases", type=int, default=5000, help="historical petitions")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--wait", default="1,2", help="think time between tasks, min,max s")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "SECRETARIAT_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "secretariat.settings",
        "DEBUG": "0",
        "SECURE_COOKIES": "0",  # plain HTTP on 127.0.0.1
        "MPLCONFIGDIR": str(data_dir / "mpl"),
        "PETITION_SUBMIT_LIMIT": "1000000",
        "PETITION_CHECK_LIMIT": "1000000",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    started = time.monotonic()
    _manage(env, "migrate", "--noinput")
    _manage(env, "demo")
    numbers = _demo_numbers(env)  # before the import: imported petitions have no password
    csv_file = data_dir / "history.csv"
    csv_file.write_text(_history(args.cases, dt.date.today()), encoding="utf-8")
    if args.cases:
        _manage(env, "import", "petitions", str(csv_file))
    setup_seconds = time.monotonic() - started

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "secretariat.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
        ],
        env=env,
        stderr=open(data_dir / "gunicorn.log", "w"),  # noqa: SIM115
    )
    worker = subprocess.Popen(
        [str(BIN / "secretariat"), "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(data_dir / "worker.log", "w"),  # noqa: SIM115
    )
    try:
        _wait_until_up(url)
        wait_min, wait_max = args.wait.split(",")
        load_env = {
            **env,
            "BENCH_NUMBERS": ",".join(n for n in numbers if n),
            "BENCH_PASSWORD": CITIZEN_PASSWORD,
            "BENCH_QUERIES": ",".join(QUERIES),
            "BENCH_STAFF": f"{STAFF}:{STAFF_PASSWORD}",
            "BENCH_WAIT_MIN": wait_min,
            "BENCH_WAIT_MAX": wait_max,
        }
        prefix = data_dir / "locust"
        load_before = os.getloadavg()[0]
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--host",
                url,
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.duration}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=load_env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=open(data_dir / "locust.log", "w"),  # noqa: SIM115
        )
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    result = {
        "users": args.users,
        "duration_s": args.duration,
        "gunicorn_workers": args.workers,
        "think_time_s": args.wait,
        "historical_petitions": args.cases,
        "setup_s": round(setup_seconds, 1),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "requests": _stats(prefix),
        "data_dir": str(data_dir),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
