"""Start-up time of the `secretariat` command (issue 17): the wall time of a fresh process, from
start to exit, for

- ``secretariat --help`` — the command line alone (target: under 1 s);
- ``secretariat version`` — Django's start-up too: the settings and every app's ``ready()``;
- ``secretariat check`` — also the URLconf (every page and API module) and the system checks,
  which every management command and the first request of a web process go through;

and ``python -c pass`` for the interpreter itself. Each is run ``--runs`` times (default 15)
after one warm-up run (the file cache), on the embedded SQLite database in a temp data dir
(migrated first, as `check` reads the job tables), with byte-code cached by the warm-up run as
on any machine (``PYTHONDONTWRITEBYTECODE`` unset). Prints one JSON object with the median,
minimum and maximum of each and the machine (CPU count, load average before and after);
results are kept in docs/performance.md.

    .venv/bin/python bench/cli/run.py [--runs 15]

To compare with another checkout, run it with ``PYTHONPATH=<that checkout>/src``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "secretariat --help": [str(BIN / "secretariat"), "--help"],
    "secretariat version": [str(BIN / "secretariat"), "version"],
    "secretariat check": [str(BIN / "secretariat"), "check"],
}


def _wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="bench-cli-")
    # Byte-code cached as on any machine (where nobody sets PYTHONDONTWRITEBYTECODE): the warm-up
    # run writes it, into the temp dir rather than the source tree.
    env = {**os.environ, "SECRETARIAT_DATA_DIR": data_dir, "PYTHONPYCACHEPREFIX": f"{data_dir}/pyc"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [str(BIN / "secretariat"), "migrate", "--noinput"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    load_before = os.getloadavg()
    figures = {}
    for name, argv in COMMANDS.items():
        _wall(argv, env)  # warm-up
        times = [_wall(argv, env) for _ in range(args.runs)]
        figures[name] = {
            "median_s": round(statistics.median(times), 3),
            "min_s": round(min(times), 3),
            "max_s": round(max(times), 3),
        }
    print(
        json.dumps(
            {
                "runs": args.runs,
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "load_before": [round(x, 2) for x in load_before],
                "load_after": [round(x, 2) for x in os.getloadavg()],
                "pythonpath": os.environ.get("PYTHONPATH", ""),
                "figures": figures,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
