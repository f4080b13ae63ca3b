"""The archives' people (the Secretariat's two archivists — also the 初審 reviewers —, 都發局's
archivist and an officer of its 綜合企劃科) and the Secretariat's published scheme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from secretariat.archives import services
from secretariat.archives.models import Disposal, FilingStatus, Item, Level, Retention
from secretariat.core.models import RoleCode, Unit

ENTRIES = [
    ("01", "綜合規劃", Level.CLASS, "", None, ""),
    ("0101", "施政計畫", Level.SECTION, "01", Retention.PERMANENT, Disposal.NATIONAL),
    ("0102", "工作報告", Level.SECTION, "01", Retention.Y10, Disposal.DESTROY),
    ("0103", "會議紀錄", Level.SECTION, "01", Retention.Y5, Disposal.APPRAISE),
    ("0104", "機關永久", Level.SECTION, "01", Retention.PERMANENT, Disposal.AGENCY_PERMANENT),
]


@pytest.fixture
def people(make_person, agency):
    udd = agency("都發局")
    unit = Unit.objects.get_or_create(agency=udd, name="綜合企劃科")[0]
    other = Unit.objects.get_or_create(agency=udd, name="住宅企劃科")[0]
    return {
        "archivist": make_person("sec-arch", "秘書處", RoleCode.ARCHIVIST, display_name="馬檔管"),
        "second": make_person("sec-arch2", "秘書處", RoleCode.ARCHIVIST, display_name="溫檔管"),
        "udd_archivist": make_person("udd-arch", "都發局", RoleCode.ARCHIVIST),
        "udd_archivist2": make_person("udd-arch2", "都發局", RoleCode.ARCHIVIST),
        "udd_officer": make_person("udd-off", "都發局", RoleCode.CASE_OFFICER, unit=unit),
        "udd_other": make_person("udd-other", "都發局", RoleCode.CASE_OFFICER, unit=other),
        "sec_officer": make_person("sec-off", "秘書處", RoleCode.CASE_OFFICER),
        "unit": unit,
    }


def publish(agency, by, entries=ENTRIES):
    scheme = services.draft_scheme(agency, by=by)
    for code, name, level, parent, retention, disposal in entries:
        services.save_entry(
            scheme,
            by=by,
            code=code,
            name=name,
            level=level,
            parent_code=parent,
            retention=retention,
            disposal=disposal,
        )
    return services.publish_scheme(scheme, by=by)


@pytest.fixture
def scheme(people, agency):
    return publish(agency("秘書處"), people["archivist"])


@pytest.fixture
def udd_scheme(people, agency):
    return publish(agency("都發局"), people["udd_archivist"])


def proposed(agency, title="函復節能改善案", *, produced=None, secrecy=0, entry=None, **extra):
    """A proposed 件 as the ``document_filed`` hook leaves it (without the 公文)."""
    produced = produced or dt.date(2026, 3, 2)
    values = {
        "agency": agency,
        "title": title,
        "retention": entry.retention if entry else Retention.PERMANENT,
        "entry": entry,
        "secrecy": secrecy,
        "produced_on": produced,
        "closed_on": produced,
        "filed_on": produced,
        "filing_due": produced + dt.timedelta(days=7),
        "filing": FilingStatus.PROPOSED,
    }
    values.update(extra)
    return Item.objects.create(**values)


def legacy(agency, rows):
    """Catalogue records as a legacy import writes them: rows of (檔號 parts, 案名,
    produced, retention, disposal, secrecy)."""
    services.import_catalogue(
        [
            services.CatalogueRecord(
                agency=agency,
                parts=parts,
                folder_title=title,
                location=("B1", "1", "2", "3"),
                shelf_metres=Decimal("0.5"),
                disposal=disposal,
                catalogued_on=produced,
                item={
                    "title": title,
                    "produced_on": produced,
                    "retention": retention,
                    "secrecy": secrecy,
                    "access": "open",
                },
            )
            for parts, title, produced, retention, disposal, secrecy in rows
        ]
    )
