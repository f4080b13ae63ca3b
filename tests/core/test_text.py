"""core.text: one rule for text input (control characters, lengths, line breaks only where
multi-line text is expected) used by every form, API schema, importer and service; and the
spreadsheet and XML rules for text going out."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from ninja import Schema
from pydantic import ValidationError

import secretariat
from secretariat.core import text
from secretariat.core.errors import DomainError
from secretariat.core.forms import TextChecksMixin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value", ["a\x00b", "a\x08b", "a\x0bb", "a\x1fb", "a\x7fb", "a\x9fb", "a\ud800b", "a\uffffb"]
)
def test_control_characters_are_refused_everywhere(value):
    assert text.text_problem(value, "主旨") == "主旨含有不允許的控制字元。"
    assert text.text_problem(value, "內容", multiline=True) == "內容含有不允許的控制字元。"


def test_line_breaks_and_tabs_only_in_multi_line_text():
    for value in ("第一行\n第二行", "甲\t乙", "甲\r\n乙"):
        assert text.text_problem(value, "主旨") == "主旨不可換行或含有定位字元（Tab）。"
        assert text.text_problem(value, "內容", multiline=True) is None
    assert text.check_text("甲\r\n乙\r丙", "內容", multiline=True) == "甲\n乙\n丙"


def test_lengths_are_counted_after_line_breaks_are_normalised():
    assert text.text_problem("一" * 10, "主旨", max_length=10) is None
    assert (
        text.text_problem("一" * 11, "主旨", max_length=10) == "主旨不可超過 10 字（目前 11 字）。"
    )
    assert text.text_problem("一\r\n" * 5, "內容", multiline=True, max_length=10) is None


def test_check_text_raises_a_domain_error_naming_the_field():
    with pytest.raises(DomainError) as raised:
        text.check_text("a\x00", "姓名", field="name")
    assert raised.value.fields == {"name": ["姓名含有不允許的控制字元。"]}


def test_ordinary_text_passes():
    for value in ("王小明", "Taipei 101 大樓", "＋886-2-2720-8889", "=）", "emoji 🚧"):
        assert text.text_problem(value, "欄位") is None


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1+1", "'+1+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("王○明", "王○明"),
        ("1+1", "1+1"),
        ("", ""),
    ],
)
def test_spreadsheet_cells_that_start_like_a_formula_become_text(value, written):
    assert text.spreadsheet_cell(value) == written


def test_xml_safe_replaces_what_xml_cannot_carry():
    assert text.xml_safe("a\x00b\x1bc\tok\n") == "a\ufffdb\ufffdc\tok\n"


class Sample(Schema):
    subject: text.api_text("主旨", max_length=5)
    body: text.api_text("內容", multiline=True) = ""


def test_the_api_type_checks_and_documents_the_bound():
    assert Sample(subject="路燈", body="甲\r\n乙").body == "甲\n乙"
    with pytest.raises(ValidationError) as raised:
        Sample(subject="路燈\x00")
    (error,) = raised.value.errors()
    assert (error["type"], error["msg"]) == ("text_invalid", "主旨含有不允許的控制字元。")
    assert Sample.model_json_schema()["properties"]["subject"]["maxLength"] == 5


def _all_forms() -> set[type]:
    for module in pkgutil.walk_packages(secretariat.__path__, "secretariat."):
        if module.name.rsplit(".", 1)[-1].startswith(("forms", "views")):
            importlib.import_module(module.name)
    found, pending = set(), [forms.Form, forms.ModelForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("secretariat."):
                found.add(subclass)
    return found


def test_every_form_of_the_project_checks_its_text():
    """A form added later is covered the day it is added (admin forms aside)."""
    found = _all_forms()
    assert len(found) > 30  # the petitions, cases, council, core, search and reports forms
    unchecked = {
        f"{form.__module__}.{form.__name__}"
        for form in found
        if not issubclass(form, TextChecksMixin) and ".admin" not in form.__module__
    }
    assert unchecked == set()


def test_a_form_names_the_field_without_its_note(client):
    from secretariat.petitions.forms import PublicPetitionForm

    form = PublicPetitionForm({"subject": "甲\x00", "address_string": "乙\x1b", "consent": "on"})
    assert not form.is_valid()
    assert form.errors["subject"] == ["主旨含有不允許的控制字元。"]
    assert form.errors["address_string"] == ["問題發生地點含有不允許的控制字元。"]


def test_the_search_api_and_the_calendar_api_refuse_control_characters(client, admin):
    client.force_login(admin)
    response = client.get("/api/v1/search", {"q": "路燈\x00"})
    assert response.status_code == 422
    assert response.json()["fields"] == {"q": ["搜尋字詞含有不允許的控制字元。"]}
    response = client.post(
        "/api/v1/calendar/adjustments",
        {"date": "2026-09-01", "kind": "closure", "reason": "颱風\x07"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"payload.reason": ["事由含有不允許的控制字元。"]}
