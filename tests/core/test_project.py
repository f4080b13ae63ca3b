"""Project set-up: production settings pass the deployment checks, the CLI, demo data."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from secretariat import cli
from secretariat.core.models import RoleCode, User

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_checks_pass_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "SECRETARIAT_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-production-secret-" + "Zq81xY" * 5,
        "ALLOWED_HOSTS": "secretariat.gov.taipei",
        "SECRETARIAT_DATA_DIR": str(tmp_path),
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests of the same run
    result = subprocess.run(
        [sys.executable, "-m", "secretariat.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "SECRETARIAT_ENV": "production", "SECRETARIAT_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "secretariat.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_cli_help_lists_the_commands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("serve", "worker", "scheduler", "setup", "demo", "createadmin", "audit verify"):
        assert command in out


@pytest.mark.django_db
def test_demo_data_is_idempotent():
    call_command("demo", verbosity=0)
    counts = (User.objects.count(), User.objects.filter(roles__isnull=False).count())
    call_command("demo", verbosity=0)
    assert (User.objects.count(), User.objects.filter(roles__isnull=False).count()) == counts
    held = set(User.objects.values_list("roles__code", flat=True))
    assert set(RoleCode.values) <= held


@pytest.mark.django_db
def test_setup_loads_the_reference_data_and_no_account(capsys):
    """What a production installation runs after migrate: the registry and the keyword table's
    seed, idempotent, and nobody to log in with."""
    from secretariat.cases.models import RoutingKeyword
    from secretariat.cases.services import ROUTING_KEYWORDS_PATH
    from secretariat.core.models import Agency

    seeded = sum(
        len(terms)
        for terms in json.loads(ROUTING_KEYWORDS_PATH.read_text(encoding="utf-8"))[
            "agencies"
        ].values()
    )
    call_command("setup")
    first = capsys.readouterr().out
    assert "機關名錄：" in first and f"分辦關鍵字（各機關法定職掌）：新增 {seeded} 筆" in first
    assert Agency.objects.filter(code="sec").exists()
    assert RoutingKeyword.objects.count() == seeded
    call_command("setup")
    again = capsys.readouterr().out
    assert "新增 0 筆、更新 0 筆" in again and f"新增 0 筆、已有 {seeded} 筆" in again
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createadmin(capsys):
    from secretariat.core.registry import load_registry

    load_registry()
    call_command("createadmin", "root2", password="a-strong-pass-115")
    person = User.objects.get(username="root2")
    assert person.is_superuser and person.has_role(RoleCode.SYSTEM_ADMIN)
