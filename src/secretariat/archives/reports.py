"""檔案管理's report sections (chapter 二, orders 30–34) and indicators, in the seeds'
sentence forms: the Secretariat's own 編目, 移轉 and 銷毀 (the issue's 106年上半年 form:
「立案編目7,632件…移轉30案（32卷）…銷毀8案（104卷）」), the 初審 of every agency's
銷毀目錄 with the year-to-date and cumulative figures as seed 001 §二(五) writes them, and the
destruction tracking (three months from approval)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from secretariat.archives import selectors
from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.reports.structure import Figure, Indicator, Section, SectionData

# Seed 001 counts the shelf metres destroyed 「自110年起」: destruction tracking started then.
CUMULATIVE_FROM_ROC_YEAR = 110
REVIEW_ITEMS = "archives.review_items"
ON_TIME_RATE = "archives.destroyed_on_time"


def _year_start(period: Period):
    return period.end.replace(month=1, day=1)


def metres_text(metres: Decimal) -> str:
    """「2萬8,200餘公尺」: whole hundreds and 「餘」 when there is more, as the seed writes it."""
    whole = int(metres)
    hundreds = whole // 100 * 100
    if hundreds and metres > hundreds:
        return f"{roc.format_count(hundreds)}餘公尺"
    return roc.format_count(whole, "公尺")


def catalogue(period: Period) -> SectionData:
    """（三）本處檔案立案編目、移轉及銷毀 (the Secretariat's own files)."""
    agency_id = selectors.secretariat_agency_id()
    items = selectors.catalogued_items(agency_id, period.start, period.end)
    moved = selectors.transferred(agency_id, period.start, period.end)
    gone = selectors.destroyed(agency_id, period.start, period.end)
    paragraph = (
        f"{period.label}本處檔案立案編目計{roc.format_count(items, '件')}；"
        f"移轉國家檔案{roc.format_count(moved.cases, '案')}（{roc.format_count(moved.volumes, '卷')}）；"
        f"依核准之銷毀目錄銷毀屆期檔案{roc.format_count(gone.cases, '案')}"
        f"（{roc.format_count(gone.volumes, '卷')}）。"
    )
    return SectionData(
        key="archives.catalogue",
        heading="（三）本處檔案立案編目、移轉及銷毀",
        paragraphs=(paragraph,),
        figures=(
            Figure("catalogued", "立案編目", items, "件"),
            Figure("transferred_cases", "移轉", moved.cases, "案"),
            Figure("transferred_volumes", "移轉", moved.volumes, "卷"),
            Figure("destroyed_cases", "銷毀", gone.cases, "案"),
            Figure("destroyed_volumes", "銷毀", gone.volumes, "卷"),
        ),
        has_records=bool(items or moved.volumes or gone.volumes),
    )


def review(period: Period) -> SectionData:
    """（四）加速清理屆期檔案: the period's 初審 (件/案/卷); seed 001's sentence — the year to
    the period's end, and the shelf metres destroyed since 110年; then the destruction
    tracking of the lists approved in the period (within three months of approval)."""
    figures = selectors.reviewed(period.start, period.end)
    year_start = _year_start(period)
    ytd = selectors.reviewed(year_start, period.end)
    since = Period.year(CUMULATIVE_FROM_ROC_YEAR).start
    metres = selectors.shelf_metres_destroyed(since, period.end)
    end_year, end_month = roc.roc_year(period.end), period.end.month
    tracked = selectors.destruction_tracking(
        period.start, period.end, min(period.end, timezone.localdate())
    )
    paragraphs = (
        f"{period.label}初審本府各機關屆期檔案銷毀目錄計{roc.format_count(figures.items, '件')}、"
        f"{roc.format_count(figures.cases, '案')}、{roc.format_count(figures.volumes, '卷')}。",
        f"{end_year}年截至{end_month}月底止，全府已送審{roc.format_count(ytd.cases, '案')}"
        f"（{roc.format_count(ytd.volumes, '卷')}）及{roc.format_count(ytd.items, '件')}"
        f"擬銷毀檔案目錄至檔案管理局審核，自{CUMULATIVE_FROM_ROC_YEAR}年起至{end_year}年"
        f"{end_month}月止累計銷毀實體檔案長度達{metres_text(metres)}。",
        f"{period.label}各機關銷毀目錄經核准計{roc.format_count(tracked.approved, '份')}，"
        f"於核准後3個月內完成銷毀{roc.format_count(tracked.on_time, '份')}、"
        f"逾期{roc.format_count(tracked.late, '份')}、"
        f"尚在期限內{roc.format_count(tracked.waiting, '份')}。",
    )
    return SectionData(
        key="archives.review",
        heading="（四）加速清理屆期檔案，核實盤查庫房空間",
        paragraphs=paragraphs,
        figures=(
            Figure("items", "初審銷毀目錄", figures.items, "件"),
            Figure("cases", "初審銷毀目錄", figures.cases, "案"),
            Figure("volumes", "初審銷毀目錄", figures.volumes, "卷"),
            Figure("ytd_items", "年初至期末送審", ytd.items, "件"),
            Figure("ytd_cases", "年初至期末送審", ytd.cases, "案"),
            Figure("ytd_volumes", "年初至期末送審", ytd.volumes, "卷"),
            Figure("shelf_metres", "累計銷毀實體檔案長度", metres, "公尺"),
            Figure("approved", "核准銷毀目錄", tracked.approved, "份"),
            Figure("on_time", "核准後3個月內完成銷毀", tracked.on_time, "份"),
            Figure("late", "逾期銷毀", tracked.late, "份"),
        ),
        has_records=bool(figures.lists or ytd.lists or metres or tracked.approved),
    )


def review_items(period: Period) -> Decimal | None:
    figures = selectors.reviewed(period.start, period.end)
    return Decimal(figures.items) if figures.lists else None


def on_time_rate(period: Period) -> Decimal | None:
    as_of = min(period.end, timezone.localdate())
    figures = selectors.destruction_tracking(period.start, period.end, as_of)
    done = figures.on_time + figures.late
    return roc.percent_value(figures.on_time, done) if done else None


SECTIONS = (
    Section("archives.catalogue", chapter="二", order=30, compute=catalogue),
    Section("archives.review", chapter="二", order=40, compute=review),
)
INDICATORS = (
    Indicator(REVIEW_ITEMS, "初審各機關屆期檔案銷毀目錄件數", "件", review_items),
    Indicator(ON_TIME_RATE, "核准後3個月內完成銷毀比率", "%", on_time_rate),
)
