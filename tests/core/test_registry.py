"""The agency registry: the real agencies and names load idempotently, every name people write
resolves to one agency, and report rows are labelled by group or by the name of the day."""

import datetime as dt
import json

import pytest

from secretariat.core import services
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency, AgencyKind, AgencyName, AuditEntry, ReportGroup
from secretariat.core.registry import (
    AgencyIndex,
    agency_by_name,
    load_registry,
    name_key,
    report_label,
)

pytestmark = pytest.mark.django_db

# The petitions table of the Secretariat's report for the first half of 114 (2025): the row
# labels it uses, apart from the group row 「民政局（含區公所）」.
SEED_SHORT_NAMES = [
    "都發局", "警察局", "工務局", "教育局", "交通局", "產業局", "社會局", "環保局", "衛生局",
    "體育局", "地政局", "法務局", "消防局", "捷運公司", "勞動局", "觀傳局", "政風處", "捷運局",
    "財政局", "文化局", "秘書處", "青年局", "兵役局", "研考會", "人事處", "自來水處", "資訊局",
    "原民會", "客委會", "都委會",
]  # fmt: skip
DISTRICT_GROUP = "民政局（含區公所）"


def test_every_short_name_of_the_petitions_table_is_one_agency(registry):
    for short_name in SEED_SHORT_NAMES:
        found = agency_by_name(short_name)
        assert found is not None, short_name
        assert found.short_name == short_name
        assert Agency.objects.filter(short_name=short_name).count() == 1, short_name
    assert agency_by_name(DISTRICT_GROUP) is None  # a report group, not an agency


def test_key_codes_and_kinds(registry):
    assert agency_by_name("秘書處").code == "sec"
    assert agency_by_name("民政局").code == "ca"
    rdec = agency_by_name("研考會")
    assert (rdec.code, rdec.kind) == ("rdec", AgencyKind.COMMITTEE)
    metro = agency_by_name("捷運公司")
    assert (metro.code, metro.kind, metro.parent) == ("trtc", AgencyKind.ENTERPRISE, None)
    assert agency_by_name("市長室").kind == AgencyKind.MAYOR_OFFICE
    water = agency_by_name("自來水處")
    assert (water.name, water.kind, water.parent.code) == (
        "臺北自來水事業處",
        AgencyKind.SECOND_LEVEL,
        "pwd",
    )
    assert Agency.objects.filter(kind=AgencyKind.SECOND_LEVEL).count() >= 10


def test_twelve_district_offices_under_civil_affairs(registry):
    civil_affairs = agency_by_name("民政局")
    districts = Agency.objects.filter(kind=AgencyKind.DISTRICT_OFFICE)
    assert districts.count() == 12
    assert {d.parent_id for d in districts} == {civil_affairs.pk}
    assert all(d.code.startswith("district-") for d in districts)
    for name in "松山 信義 大安 中山 中正 大同 萬華 文山 南港 內湖 士林 北投".split():
        office = agency_by_name(f"{name}區公所")
        assert office.name == f"臺北市{name}區公所" and office in districts


def test_district_offices_report_under_the_civil_affairs_group(registry):
    day = dt.date(2025, 6, 30)
    assert report_label(agency_by_name("大安區公所"), day) == DISTRICT_GROUP
    assert report_label(agency_by_name("民政局"), day) == DISTRICT_GROUP
    assert report_label(agency_by_name("都發局"), day) == "都發局"


def test_historical_names_resolve_and_apply_on_old_dates(registry):
    water = agency_by_name("北水處")
    assert water == agency_by_name("自來水處") == agency_by_name("臺北自來水事業處")
    assert water.short_name_on(dt.date(2024, 12, 31)) == "北水處"
    assert water.short_name_on(dt.date(2025, 1, 1)) == "自來水處"
    assert report_label(water, dt.date(2020, 1, 1)) == "北水處"

    labor = agency_by_name("勞工局")
    assert labor.short_name == "勞動局"
    assert labor.names_on(dt.date(2012, 12, 31)) == ("臺北市政府勞工局", "勞工局")
    assert labor.short_name_on(dt.date(2013, 1, 1)) == "勞動局"

    assert agency_by_name("臺北市政府建設局") == agency_by_name("產業局")
    assert agency_by_name("新聞處") == agency_by_name("觀傳局")
    it = agency_by_name("資訊處")
    assert it.code == "doit"
    assert it.short_name_on(dt.date(2010, 1, 1)) == "資訊處"
    assert it.short_name_on(dt.date(2000, 1, 1)) == "資訊中心"
    assert agency_by_name("法規委員會") == agency_by_name("法務局")


def test_youth_department_did_not_exist_before_2024(registry):
    youth = agency_by_name("青年局")
    assert youth.established_on == dt.date(2024, 6, 1)
    assert not Agency.objects.in_force_on(dt.date(2023, 1, 1)).filter(pk=youth.pk).exists()
    assert Agency.objects.in_force_on(dt.date(2025, 1, 1)).filter(pk=youth.pk).exists()


def test_names_as_written_in_real_data_resolve(registry):
    """Spellings found in council and suggestion records: stray whitespace, 台/臺, the city
    prefix with or without 政府, a second-level agency without its parent's name."""
    expected = {
        "新建工程處\n": "neo",
        " 公園處 ": "parks",
        "臺北市大地工程處 ": "geotech",
        "水利工程處 ": "hydraulic",
        "衛生下水道工程處": "sewerage",
        "公園路燈工程管理處": "parks",
        "台北市政府產業發展局": "doed",
        "臺北市政府產業發展局": "doed",
        "本府資訊局": "doit",
        "臺北市商業處": "commerce",
        "市場管理處": "market",
        "臺北市體育處": "sports",
        "原住民事務委員會": "ipc",
        "臺北翡翠水庫管理局": "feitsui",
        "臺北市立動物園": "zoo",
        "勞動檢查處": "labor-inspection",
        "臺北市政府勞工局勞動檢查處": "labor-inspection",
        "北市府工務局新工處": "neo",
        "民政局大安區公所": "district-daan",
    }
    for text, code in expected.items():
        found = agency_by_name(text)
        assert found is not None and found.code == code, text
    assert agency_by_name("臺北市政府") is None
    assert agency_by_name("臺北市審計處") is None  # a central government office
    assert agency_by_name("") is None
    assert agency_by_name("交通局新工處") is None  # 新工處 is not under 交通局


def test_every_name_in_the_registry_resolves_to_its_own_agency(registry):
    index = AgencyIndex.build()
    for agency in Agency.objects.prefetch_related("name_history"):
        names = [agency.name, agency.short_name]
        names += [n for row in agency.name_history.all() for n in (row.name, row.short_name)]
        for name in names:
            assert index.find(name) == agency, (agency.code, name)


def test_a_date_prefers_the_name_in_force_that_day():
    # Two agencies that swapped a short name: the day decides which one was meant.
    first = Agency.objects.create(code="a", name="甲局", short_name="甲局", kind="first_level")
    second = Agency.objects.create(code="b", name="乙局", short_name="乙局", kind="first_level")
    AgencyName.objects.create(
        agency=second, name="甲局", short_name="甲局", valid_to=dt.date(2000, 1, 1)
    )
    AgencyName.objects.create(
        agency=first, name="丙局", short_name="丙局", valid_to=dt.date(2000, 1, 1)
    )
    assert agency_by_name("甲局") == first
    assert agency_by_name("甲局", on=dt.date(1999, 6, 1)) == second
    assert agency_by_name("甲局", on=dt.date(2001, 1, 1)) == first
    assert name_key(" 臺北市政府 甲局\n") == name_key("甲局")


def _counts():
    return (
        AuditEntry.objects.count(),
        Agency.objects.count(),
        AgencyName.objects.count(),
        ReportGroup.objects.count(),
    )


def test_loading_twice_changes_nothing(registry):
    # The test database holds the registry loaded once already (tests/conftest.py).
    counts = _counts()
    assert counts[1] > 70
    # That first load created every agency in one save: none was saved a second time.
    assert not AuditEntry.objects.filter(object_type="core.agency", action="update").exists()
    second = load_registry()
    assert not second.changed
    assert second.unchanged == sum(counts[1:])
    assert _counts() == counts
    assert "未變更" in str(second)


def test_a_reload_puts_changed_values_back(registry):
    labor = Agency.objects.get(code="bola")
    labor.short_name = "勞局"
    labor.save()
    AgencyName.objects.filter(agency=labor).delete()
    AgencyName.objects.create(
        agency=labor, name="多餘", short_name="多餘", valid_from=dt.date(1990, 1, 1)
    )
    result = load_registry()
    assert (result.updated, result.created, result.deleted) == (1, 1, 1)
    labor.refresh_from_db()
    assert labor.short_name == "勞動局"
    assert list(labor.name_history.values_list("short_name", flat=True)) == ["勞工局"]


def test_a_group_edit_changes_the_report_label(registry, admin):
    day = dt.date(2025, 6, 30)
    new_works = agency_by_name("新工處")
    assert report_label(new_works, day) == "新工處"
    services.set_report_group(
        by=admin,
        code="public-works-with-offices",
        label="工務局（含所屬機關）",
        members=[agency_by_name("工務局"), new_works],
        sort_order=50,
    )
    assert report_label(new_works, day) == "工務局（含所屬機關）"

    daan = agency_by_name("大安區公所")
    services.set_report_group(
        by=admin,
        code="civil-affairs-with-districts",
        label=DISTRICT_GROUP,
        members=[agency_by_name("民政局")],
        sort_order=10,
    )
    assert report_label(daan, day) == "大安區公所"
    # Administrators own the groups: a reload keeps their edit unless asked to replace it.
    load_registry()
    assert report_label(daan, day) == "大安區公所"
    assert load_registry(replace_groups=True).updated == 1
    assert report_label(daan, day) == DISTRICT_GROUP


def write(tmp_path, agencies, groups=()):
    path = tmp_path / "agencies.json"
    path.write_text(
        json.dumps({"agencies": agencies, "report_groups": list(groups)}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def entry(code, name, parent=None, kind="first_level", **extra):
    return {"code": code, "name": name, "short_name": name, "kind": kind, "parent": parent, **extra}


def test_parents_resolve_in_any_order_and_each_agency_is_saved_once(tmp_path):
    path = write(
        tmp_path,
        [
            entry("child", "子處", parent="parent", kind="second_level"),
            entry("parent", "母局"),
        ],
    )
    load_registry(path)
    child = Agency.objects.get(code="child")
    assert child.parent.code == "parent"
    assert AuditEntry.objects.filter(object_type="core.agency", action="update").count() == 0


@pytest.mark.parametrize(
    "agencies",
    [
        [entry("a", "甲", parent="b"), entry("b", "乙", parent="a")],
        [entry("a", "甲", parent="nowhere")],
        [entry("a", "甲", kind="bureau")],
        [entry("a", "甲"), entry("a", "乙")],
        [entry("a", "甲", history=[{"name": "舊", "short_name": "舊", "valid_to": "2020-13-01"}])],
    ],
)
def test_bad_files_are_refused_and_change_nothing(tmp_path, agencies):
    counts = _counts()
    with pytest.raises(DomainError) as error:
        load_registry(write(tmp_path, agencies))
    assert error.value.code == "invalid_registry"
    assert _counts() == counts
