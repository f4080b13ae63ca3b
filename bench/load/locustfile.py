"""The load of bench/load (run by run.py, which starts the server and passes the environment):
staff reading the case list and searching, citizens looking up their case's status and
sending petitions through the public form.

    BENCH_NUMBERS   comma-separated petition numbers whose status password is BENCH_PASSWORD
    BENCH_QUERIES   comma-separated search terms
    BENCH_STAFF     username:password of the staff account
"""

from __future__ import annotations

import os
import random
import re
from urllib.parse import unquote

from locust import FastHttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NUMBERS = os.environ.get("BENCH_NUMBERS", "").split(",")
QUERIES = os.environ.get("BENCH_QUERIES", "").split(",")
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
STAFF = os.environ.get("BENCH_STAFF", ":").split(":", 1)
WAIT = between(
    float(os.environ.get("BENCH_WAIT_MIN", "1")), float(os.environ.get("BENCH_WAIT_MAX", "2"))
)


def _token(response) -> str:
    found = CSRF.search(response.text or "")
    if found is None:
        response.failure("no CSRF token on the page")
        return ""
    return found[1]


class Staff(FastHttpUser):
    """A signed-in officer of the Secretariat (收發人員): the case list and the search."""

    weight = 10
    wait_time = WAIT

    def on_start(self) -> None:
        with self.client.get("/accounts/login/", name="sign-in page", catch_response=True) as r:
            token = _token(r)
        username, password = STAFF
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure("sign-in refused")

    @task(3)
    def case_list(self) -> None:
        self.client.get("/cases/", name="staff case list")

    @task(3)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(QUERIES)}, name="search")


class CitizenLookup(FastHttpUser):
    """A citizen with a case number and password: one lookup, then the status page again and
    again, and now and then the lookup once more (the same browser session)."""

    weight = 5
    wait_time = WAIT

    def on_start(self) -> None:
        self.number = random.choice(NUMBERS)
        self.lookup()

    def lookup(self) -> None:
        with self.client.get(
            "/petitions/status/", name="status lookup page", catch_response=True
        ) as r:
            token = _token(r)
        with self.client.post(
            "/petitions/status/",
            data={"number": self.number, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/petitions/status/"},
            name="status lookup (number + password)",
            catch_response=True,
        ) as response:
            if f"/petitions/status/{self.number}/" not in unquote(response.url or ""):
                response.failure(f"lookup refused ({response.status_code})")

    @task(4)
    def status_page(self) -> None:
        self.client.get(f"/petitions/status/{self.number}/", name="status page (remembered)")

    @task(1)
    def lookup_again(self) -> None:
        self.lookup()


class CitizenSubmit(FastHttpUser):
    """A citizen sending a petition through the public web form (網路陳情)."""

    weight = 2
    wait_time = WAIT

    @task
    def submit(self) -> None:
        with self.client.get("/petitions/submit/", name="petition form", catch_response=True) as r:
            token = _token(r)
        form = {
            "csrfmiddlewaretoken": token,
            "category": "roads",
            "subject": "人行道地磚破損",
            "body": "信義區松仁路100號前人行道地磚破損翹起，長者行走容易絆倒，請儘速修復。",
            "address_string": "臺北市信義區松仁路100號",
            "name": "王小明",
            "email": "xiaoming@example.test",
            "phone": "0912-345-678",
            "address": "",
            "consent": "on",
        }
        with self.client.post(
            "/petitions/submit/",
            data=form,
            headers={"Referer": self.host + "/petitions/submit/"},
            name="petition submit",
            catch_response=True,
        ) as response:
            if "/petitions/receipt/" not in response.url:
                response.failure(f"submission refused ({response.status_code})")
