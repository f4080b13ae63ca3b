"""媒體聯繫與新聞發布's part of the work report (chapter 五), in the seeds' sentences and
tables: releases by month for the Secretariat and the whole government with the mayor's
social posts; press conferences, interviews and media dinners; the agencies' responses to
opinion items, on time within their deadlines in working hours; the press contact
directory. Each sentence states its table's total; a period without records says 本期無資料."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.media import selectors
from secretariat.media.models import Platform, PostKind, PressEventKind
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table

# The indicator whose yearly target administrators enter (core.IndicatorTarget).
ON_TIME_INDICATOR = "media.opinion_on_time"


def _month_key(month) -> str:
    return f"m{month:%Y%m}"


def _month_label(month, first: bool) -> str:
    """「115年7月」 for the table's first month (and each January), then 「8月」 …"""
    return (
        f"{roc.roc_year(month)}年{month.month}月"
        if first or month.month == 1
        else f"{month.month}月"
    )


def press_releases(period: Period) -> SectionData:
    counts = selectors.release_counts(period.start, period.end, timezone.now())
    posts = selectors.post_counts(period.start, period.end)
    columns = (
        Column("category", "類別"),
        *(
            Column(_month_key(m), _month_label(m, i == 0), "則")
            for i, m in enumerate(counts.months)
        ),
        Column("total", "總計", "則"),
    )

    def row(label: str, by_month) -> dict:
        values = {_month_key(month): n for month, n in by_month.items()}
        return {"category": label, **values, "total": sum(by_month.values())}

    releases = Table(
        key="by_month",
        caption=f"{period.label}新聞稿發布則數（依月份）",
        columns=columns,
        rows=(
            row("本處發布新聞稿", counts.secretariat),
            row("全府發布新聞稿", counts.government),
        ),
    )
    post_rows = tuple(
        {
            "platform": label,
            **{kind: posts.get((code, kind), 0) for kind in PostKind.values},
            "total": sum(posts.get((code, kind), 0) for kind in PostKind.values),
        }
        for code, label in Platform.choices
        if any(posts.get((code, kind)) for kind in PostKind.values)
    )
    total_posts = sum(posts.values())
    videos = sum(n for (_, kind), n in posts.items() if kind == PostKind.VIDEO)
    social = Table(
        key="social_posts",
        caption=f"{period.label}市長社群媒體貼文則數（依平台）",
        columns=(
            Column("platform", "平台"),
            *(Column(kind, label, "則") for kind, label in PostKind.choices),
            Column("total", "合計", "則"),
        ),
        rows=post_rows,
        total={
            "platform": "合計",
            **{
                kind: sum(n for (_, k), n in posts.items() if k == kind) for kind in PostKind.values
            },
            "total": total_posts,
        },
    )
    paragraphs = [
        "1、透過主動發布新聞稿，即時說明本府重要施政理念及政策方向，以利媒體及市民充分瞭解"
        f"本府政策目標與規劃，{period.label}本處與全府各發布新聞稿"
        f"{roc.format_count(counts.secretariat_total, '則')}及"
        f"{roc.format_count(counts.government_total, '則')}，各月資訊如下表。"
    ]
    # A period without releases shows no empty month table (本期無資料 says it).
    tables = [releases] if counts.government_total else []
    if total_posts:
        paragraphs.append(
            "2、運用市長 Facebook、Instagram 及 YouTube 等新媒體平台，擴大政策行銷觸角，提升資訊"
            f"傳遞速度與互動回應性。{period.label}計發布貼文{roc.format_count(total_posts, '則')}"
            f"，其中影音貼文{roc.format_count(videos, '則')}，強化市政透明度，並拉近與市民之間"
            "的距離，各平台如下表。"
        )
        tables.append(social)
    return SectionData(
        key="media.press_releases",
        heading="（一）即時傳遞市政資訊、多元管道行銷政策",
        paragraphs=tuple(paragraphs),
        figures=(
            Figure("secretariat_releases", "本處發布新聞稿", counts.secretariat_total, "則"),
            Figure("government_releases", "全府發布新聞稿", counts.government_total, "則"),
            Figure("social_posts", "市長社群貼文", total_posts, "則"),
            Figure("video_posts", "影音貼文", videos, "則"),
        ),
        tables=tuple(tables),
        has_records=bool(counts.government_total or total_posts),
    )


def press_events(period: Period) -> SectionData:
    counts = selectors.event_counts(period.start, period.end)
    conferences = list(
        selectors.events_in(period.start, period.end).filter(kind=PressEventKind.CONFERENCE)
    )
    interviews = counts[PressEventKind.INTERVIEW]
    dinners = counts[PressEventKind.DINNER]
    paragraphs = []
    if conferences:
        examples = "、".join(event.topic for event in conferences[:2])
        paragraphs.append(
            "1、持續提升市政資訊媒體傳播效益，每日主動提供市長公開行程，協助本府各機關適時召開"
            f"記者會，確保重要政策內容即時傳達，回應媒體與民眾需求。{period.label}召開"
            f"{roc.format_count(len(conferences), '場')}府級記者會，如針對{examples}等重大議題"
            "進行說明，展現公開透明的施政態度，詳如下表。"
        )
    if interviews or dinners:
        dinner_text = f"、舉辦媒體餐敘{roc.format_count(dinners, '場')}" if dinners else ""
        paragraphs.append(
            f"{'2' if conferences else '1'}、深化與媒體之互動合作，透過安排市長專訪、舉辦媒體餐敘"
            "等交流活動，建立穩定且良好合作關係，促進政策理念之正確傳遞及有效溝通。"
            f"{period.label}安排媒體專訪市長計{roc.format_count(interviews, '次')}{dinner_text}，"
            "藉此加強與媒體對話，強化市政行銷。"
        )
    table = Table(
        key="conferences",
        caption=f"{period.label}府級記者會",
        columns=(Column("held_on", "日期"), Column("topic", "主題"), Column("host", "主持人")),
        rows=tuple(
            {"held_on": event.held_on, "topic": event.topic, "host": event.host}
            for event in conferences
        ),
    )
    return SectionData(
        key="media.press_events",
        heading="（二）深化媒體合作關係、主動回應強化行銷",
        paragraphs=tuple(paragraphs),
        figures=(
            Figure("conferences", "府級記者會", len(conferences), "場"),
            Figure("interviews", "媒體專訪市長", interviews, "次"),
            Figure("dinners", "媒體餐敘", dinners, "場"),
        ),
        tables=(table,) if conferences else (),
        has_records=bool(conferences or interviews or dinners),
    )


def opinion_responses(period: Period) -> SectionData:
    figures = selectors.response_figures(period.start, period.end, timezone.now())
    rate = (
        roc.format_percent(Fraction(figures.on_time, figures.responses))
        if figures.responses
        else "—"
    )
    sentence = (
        "2、積極主動回應重要輿情事件，透過即時澄清、釐清事實與平衡報導，以利社會各界掌握正確"
        f"資訊，本府{period.label}計主動回應{roc.format_count(figures.responses, '則')}輿情，"
        f"其中{roc.format_count(figures.on_time, '則')}於回應時限內完成（{rate}），"
    )
    sentence += (
        f"公開澄清{roc.format_count(figures.published, '則')}，各重要性等級如下表。"
        if figures.published
        else "各重要性等級如下表。"
    )
    table = Table(
        key="responses",
        caption=f"{period.label}輿情回應則數及依限回應情形（依重要性）",
        columns=(
            Column("importance", "重要性"),
            Column("responses", "回應則數", "則"),
            Column("on_time", "依限回應", "則"),
            Column("rate", "依限回應率", "%"),
        ),
        rows=tuple(
            {
                "importance": row.label,
                "responses": row.responses,
                "on_time": row.on_time,
                "rate": row.rate,
            }
            for row in figures.rows
        ),
        total={
            "importance": "合計",
            "responses": figures.responses,
            "on_time": figures.on_time,
            "rate": figures.rate,
        },
    )
    return SectionData(
        key="media.opinion_responses",
        heading="（三）精進市政輿情蒐報及處理機制",
        paragraphs=(
            "1、強化輿情掌握與應變機制，建立本府各機關新聞聯繫群組及市政輿情通報管道，確保第一"
            f"時間掌握媒體報導與社會關注議題。{period.label}計蒐報輿情"
            f"{roc.format_count(figures.received, '則')}，遇有負面或重大輿情事件，依所涉範圍及影響"
            "層面啟動應變機制，迅速進行危機管理，降低誤解與衝擊。",
            sentence,
        ),
        figures=(
            Figure("received", "蒐報輿情", figures.received, "則"),
            Figure("responses", "主動回應輿情", figures.responses, "則"),
            Figure("on_time", "依限回應", figures.on_time, "則"),
            Figure("on_time_rate", "依限回應率", figures.rate, "%"),
            Figure("published", "公開澄清", figures.published, "則"),
        ),
        tables=(table,) if figures.responses else (),
        has_records=bool(figures.received or figures.responses),
    )


def press_directory(period: Period) -> SectionData:
    figures = selectors.directory_figures(period.start, period.end)
    return SectionData(
        key="media.press_directory",
        heading="（四）建置線上通訊錄，優化新聞聯繫",
        paragraphs=(
            "為提升本府各機關新聞聯繫人員之橫向聯繫，本府新聞聯繫線上通訊錄收錄"
            f"{roc.format_count(figures.agencies, '個')}機關"
            f"{roc.format_count(figures.contacts, '位')}新聞聯繫人員，各機關人員異動時即時更新；"
            f"核准使用之媒體記者計{roc.format_count(figures.journalists, '位')}，"
            f"{period.label}計查詢{roc.format_count(figures.lookups, '次')}，快速找到聯絡窗口。",
        ),
        figures=(
            Figure("agencies", "收錄機關", figures.agencies, "個"),
            Figure("contacts", "新聞聯繫人員", figures.contacts, "位"),
            Figure("journalists", "核准記者", figures.journalists, "位"),
            Figure("lookups", "通訊錄查詢", figures.lookups, "次"),
        ),
        # The directory's size is as it stands now; the period's own record is its use.
        has_records=bool(figures.lookups),
    )


def on_time_rate(period: Period) -> Decimal | None:
    return selectors.response_figures(period.start, period.end, timezone.now()).rate


SECTIONS = (
    Section("media.press_releases", chapter="五", order=10, compute=press_releases),
    Section("media.press_events", chapter="五", order=20, compute=press_events),
    Section("media.opinion_responses", chapter="五", order=30, compute=opinion_responses),
    Section("media.press_directory", chapter="五", order=40, compute=press_directory),
)
INDICATORS = (Indicator(ON_TIME_INDICATOR, "輿情依限回應率", "%", on_time_rate),)
