"""`secretariat report`: JSON and HTML to standard output or a file, the file formats to a file,
and a bad period refused in Chinese with exit status 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from odf.opendocument import load

from tests.reports.test_render import PERIOD_SENTENCE, TITLE, _lines, records  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("records")
def test_json_goes_to_standard_output():
    out = io.StringIO()

    call_command("report", "--period", "114年上半年", stdout=out)

    data = json.loads(out.getvalue())
    assert data["period"]["code"] == "114H1"
    petitions = data["chapters"][2]["sections"][0]
    assert petitions["figures"]["received"]["value"] == 4


@pytest.mark.usefixtures("records")
def test_html_to_standard_output_with_a_dash():
    out = io.StringIO()

    call_command("report", "--period", "114H1", "--format", "html", "--output", "-", stdout=out)

    assert out.getvalue().startswith("<!DOCTYPE html>") and PERIOD_SENTENCE in out.getvalue()


@pytest.mark.usefixtures("records")
def test_odt_to_a_file(tmp_path, capsys):
    target = tmp_path / "工作報告.odt"

    call_command("report", "--period", "114H1", "--format", "odt", "--output", str(target))

    lines = _lines(load(str(target)))
    assert lines[:2] == [TITLE, PERIOD_SENTENCE]
    assert "114年上半年受理案件計4件，詳如下表：" in lines
    assert str(target) in capsys.readouterr().err


def test_ods_needs_a_file():
    with pytest.raises(CommandError, match="請以 --output 指定檔案") as refused:
        call_command("report", "--period", "114H1", "--format", "ods")
    assert refused.value.returncode == 2


@pytest.mark.parametrize("period", ["114H3", "114年第三季", "1911H1", ""])
def test_a_bad_period_names_the_option(period):
    with pytest.raises(CommandError, match="--period 無法辨識") as refused:
        call_command("report", "--period", period)
    assert refused.value.returncode == 2


def test_the_console_command_exits_with_status_2(tmp_path):
    # The period is read before the database is opened, so a scratch data folder will do.
    env = {**os.environ, "SECRETARIAT_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "secretariat.cli", "report", "--period", "114H3"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )

    assert done.returncode == 2
    assert "--period 無法辨識：無法辨識的期間：114H3" in done.stderr
    assert done.stdout == ""
