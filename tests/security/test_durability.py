"""Acknowledged writes survive `kill -9` (PostgreSQL): the documented gunicorn set-up runs as a
subprocess against the test database, several clients register petitions through the API at
once, the whole server process group is killed mid-load, the server is started again, and every
petition whose number was acknowledged (201) must be there — through the restarted server and
in the database. Skipped on SQLite (the embedded set-up has its own test of WAL); nothing in
a PostgreSQL run skips it: a server that does not start fails it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 6
KILL_AFTER_ACKS = 40  # or KILL_AFTER_SECONDS, whichever comes first
KILL_AFTER_SECONDS = 10
# On a loaded machine the first acknowledgement may take a while (each petition hashes its
# password with Argon2): wait this long for one before giving up.
FIRST_ACK_TIMEOUT = 60
START_TIMEOUT = 20


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn as in docs/operations.md, in its own process group."""

    def __init__(self, data_dir, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "SECRETARIAT_DATA_DIR": str(data_dir),
            "AUDIT_KEY_FILE": str(settings.AUDIT_KEY_FILE),
            "AUDIT_CHECKPOINT_FILE": str(settings.AUDIT_CHECKPOINT_FILE),
            "SECRETARIAT_ENV": "development",
            "DEBUG": "0",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "secretariat.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
        ]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            start_new_session=True,  # its own process group: the master and its workers
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.kill()
        pytest.fail("gunicorn did not answer /healthz")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _request(method: str, url: str, token: str, payload: dict | None = None):
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


@pytest.fixture
def server(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("kill -9 durability is tested on PostgreSQL")
    made = Server(tmp_path, _free_port())
    yield made
    made.kill()


def test_acknowledged_petitions_survive_kill_9(server, make_person):
    from secretariat.core import services
    from secretariat.petitions.models import Petition

    # A Secretariat router's system account: it may register petitions and read them unrouted.
    system = make_person("hotline", "秘書處", "registry_clerk", is_system_account=True)
    _, token = services.issue_api_token(system, "1999 市民熱線", by=None)
    server.start()

    acknowledged: list[str] = []
    lock, stop = threading.Lock(), threading.Event()

    def client(number: int) -> None:
        sent = 0
        while not stop.is_set():
            sent += 1
            payload = {
                "subject": f"路燈不亮（熱線 {number}-{sent}）",
                "body": f"松仁路 {number} 巷路燈不亮，第 {sent} 次通報。",
                "requester": {"name": "王小明", "phone": "0912345678"},
            }
            try:
                status, body = _request("POST", f"{server.base}/api/v1/petitions", token, payload)
            except (OSError, urllib.error.HTTPError, ValueError):
                continue  # the server is gone: nothing was acknowledged
            if status == 201 and body.get("number"):
                with lock:
                    acknowledged.append(body["number"])

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for number in range(CLIENTS):
            pool.submit(client, number)
        while len(acknowledged) < KILL_AFTER_ACKS:
            elapsed = time.monotonic() - started
            if (elapsed > KILL_AFTER_SECONDS and acknowledged) or elapsed > FIRST_ACK_TIMEOUT:
                break
            time.sleep(0.05)
        server.kill()  # mid-load: requests are in flight
        time.sleep(0.5)
        stop.set()

    assert acknowledged, "no petition was acknowledged before the kill"
    server.start()
    missing_through_server = []
    for number in acknowledged:
        try:
            path = f"/api/v1/petitions/{urllib.parse.quote(number)}"
            status, body = _request("GET", server.base + path, token)
        except urllib.error.HTTPError:
            status, body = 404, {}
        if status != 200 or body.get("number") != number:
            missing_through_server.append(number)
    stored = set(
        Petition.objects.filter(case__number__in=acknowledged).values_list(
            "case__number", flat=True
        )
    )
    print(f"\nkill -9: {len(acknowledged)} acknowledged, {len(stored)} stored after restart")
    assert missing_through_server == []
    assert stored == set(acknowledged)
