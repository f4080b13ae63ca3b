"""`secretariat serve`, the command `scripts/run` ends with, started as scripts/run starts it (the
venv's console script, on a migrated embedded SQLite database in its own data dir) on a free
port: gunicorn with DEBUG off answers with the project's pages and the API's JSON errors and
serves the static files; and however it is stopped — Ctrl-C, SIGTERM to its process group or to
it alone, or even SIGKILL — no web server, job worker or scheduler process is left behind.

Linux only (reads /proc), as the deployment is."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
START_SECONDS = 30
STOP_SECONDS = 25  # the supervisor's own limit (20 s) and a margin


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "SECRETARIAT_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    # The embedded set-up as a user gets it: SQLite, no debug or cookie setting of the test run.
    for name in (
        "DATABASE_URL",
        "DEBUG",
        "SECURE_COOKIES",
        "SECRETARIAT_ENV",
        "SECRET_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _group(pgid: int) -> dict[int, str]:
    """The live processes (zombies are not) of a process group, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # ended meanwhile
            continue
        state, _parent, group = stat.rpartition(")")[2].split()[:3]
        if int(group) == pgid and state != "Z":
            found[int(entry.name)] = command
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Served:
    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [str(BIN / "secretariat"), "serve", f"127.0.0.1:{self.port}"],
            env=_env(data_dir),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives a job
        )
        self.pgid = self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_until_up(self) -> dict[int, str]:
        """Every process of the set-up, once the web server answers."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if _get(f"{self.base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail(
                f"secretariat serve did not answer within {START_SECONDS} s\n{self.output()}"
            )
        processes = _group(self.pgid)
        commands = " | ".join(processes.values())
        assert "gunicorn" in commands and "worker" in commands and "scheduler" in commands
        # serve, gunicorn's master and its worker, the job worker and the scheduler
        assert len(processes) >= 5, commands
        return processes

    def assert_all_gone(self, processes: dict[int, str]) -> None:
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            self.process.poll()  # reaps serve itself once it has ended
            left = {pid: cmd for pid, cmd in processes.items() if _alive(pid)}
            left.update(_group(self.pgid))
            if not left:
                return
            time.sleep(0.2)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        pytest.fail(f"left behind: {left}\n{self.output()}")

    def kill_leftovers(self) -> None:
        for pid in _group(self.pgid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve")
    subprocess.run(
        [str(BIN / "secretariat"), "migrate", "--noinput"],
        env=_env(path),
        check=True,
        capture_output=True,
        timeout=180,
    )
    return path


@pytest.fixture
def served(data_dir, tmp_path):
    server = Served(data_dir, tmp_path / "serve.log")
    yield server
    server.kill_leftovers()


def test_serve_answers_like_production_and_sigterm_to_the_group_stops_everything(served):
    processes = served.wait_until_up()
    status, _headers, body = _get(f"{served.base}/no-such-page/")
    assert status == 404
    assert "<h1>查無此頁</h1>" in body and 'lang="zh-Hant-TW"' in body
    # Not Django's debug page, which lists every URL pattern.
    assert "URLconf" not in body and "DEBUG" not in body and "admin/" not in body
    status, headers, body = _get(f"{served.base}/static/core/site.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    status, _headers, body = _get(f"{served.base}/api/v1/no-such-route")
    assert status == 404 and json.loads(body)["code"] == "not_found"
    # Plain HTTP on 127.0.0.1: the sign-in page's CSRF cookie is not Secure, or no browser
    # that keeps Secure cookies to HTTPS could sign in.
    status, headers, _body = _get(f"{served.base}/accounts/login/")
    assert status == 200 and "csrftoken=" in headers["Set-Cookie"]
    assert "secure" not in headers["Set-Cookie"].lower()

    os.killpg(served.pgid, signal.SIGTERM)
    served.assert_all_gone(processes)
    assert served.process.returncode == 0, served.output()


def test_ctrl_c_stops_everything(served):
    processes = served.wait_until_up()
    os.killpg(served.pgid, signal.SIGINT)  # what the terminal sends to its foreground job
    served.assert_all_gone(processes)
    assert "Traceback" not in served.output()


def test_sigterm_to_serve_alone_stops_everything(served):
    processes = served.wait_until_up()
    served.process.send_signal(signal.SIGTERM)  # e.g. `kill PID` of scripts/run
    served.assert_all_gone(processes)


def test_killing_serve_outright_leaves_nothing_behind(served):
    processes = served.wait_until_up()
    served.process.kill()  # no chance to stop the others: the kernel tells them
    served.assert_all_gone(processes)


def test_the_same_stop_twice_lets_the_worker_finish_its_job(monkeypatch):
    """Ctrl-C reaches the job worker from the terminal and again from `secretariat serve`: that
    second signal is the same stop, not django-tasks-db's "once more: abort the job"; a later
    one still aborts it."""
    from secretariat.core import worker as worker_module

    clock = [100.0]
    monkeypatch.setattr(worker_module.time, "monotonic", lambda: clock[0])
    worker = worker_module.Worker(
        queue_names=["*"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w1",
        excluded_queue_names=[],
    )
    worker.running_task = True  # in the middle of a job
    worker.shutdown(signal.SIGINT, None)  # from the terminal: finish the job, then stop
    assert not worker.running
    clock[0] += 0.5
    worker.shutdown(signal.SIGTERM, None)  # passed on by serve: the same stop
    clock[0] += worker_module.REPEATED_STOP_SECONDS
    monkeypatch.setattr(worker, "reset_signals", lambda: None)
    with pytest.raises(SystemExit) as stopped:
        worker.shutdown(signal.SIGINT, None)  # asked again later: abort the job
    assert stopped.value.code == 1


def test_the_embedded_secret_key_is_made_once_and_kept_in_the_data_dir(tmp_path):
    def key(data_dir: Path) -> str:
        code = "from django.conf import settings; print(settings.SECRET_KEY)"
        env = {**_env(data_dir), "DJANGO_SETTINGS_MODULE": "secretariat.settings"}
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()

    first = key(tmp_path / "a")
    assert len(first) >= 50 and first == key(tmp_path / "a")
    assert (tmp_path / "a" / "secret-key").stat().st_mode & 0o777 == 0o600
    assert key(tmp_path / "b") != first
