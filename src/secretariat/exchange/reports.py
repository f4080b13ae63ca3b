"""公文交換's part of chapter 二: the volume of electronic exchange in the period. The seeds on
file (001, 002, 003) publish no electronic-exchange counts (their 文件交換 figures are the
document lockers'), so this is the simple volume section the brief asks for, in the seeds'
sentence style; and one indicator, the share of packages signed for rather than refused."""

from __future__ import annotations

from decimal import Decimal

from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.exchange import selectors
from secretariat.reports.structure import Figure, Indicator, Section, SectionData

SIGNED_RATE = "exchange.signed_rate"


def _signed_rate(volume: selectors.Volume) -> Decimal | None:
    settled = volume.signed + volume.refused
    return roc.percent_value(volume.signed, settled) if settled else None


def exchange_volume(period: Period) -> SectionData:
    """（二之一）電子公文交換: packages sent inside the platform and to the gateway, signed
    for and refused, and the agencies taking part."""
    volume = selectors.volume(period.start, period.end)
    rate = _signed_rate(volume)
    paragraph = (
        f"{period.label}透過電子公文交換發文計{roc.format_count(volume.sent, '件')}，"
        f"其中平台內機關間交換{roc.format_count(volume.delivered_inside, '件')}、"
        f"經交換閘道送外部機關{roc.format_count(volume.to_gateway, '件')}；"
        f"受文機關已簽收{roc.format_count(volume.signed, '件')}、"
        f"退文{roc.format_count(volume.refused, '件')}"
        + (f"，簽收比率{roc.format_percent(rate / 100)}" if rate is not None else "")
        + f"，計{roc.format_count(volume.agencies, '個')}機關參與。"
    )
    return SectionData(
        key="exchange.volume",
        heading="電子公文交換",
        paragraphs=(paragraph,),
        figures=(
            Figure("sent", "電子交換發文", volume.sent, "件"),
            Figure("inside", "平台內機關間交換", volume.delivered_inside, "件"),
            Figure("gateway", "經交換閘道送外部機關", volume.to_gateway, "件"),
            Figure("signed", "已簽收", volume.signed, "件"),
            Figure("refused", "退文", volume.refused, "件"),
            Figure("signed_rate", "簽收比率", rate, "%"),
            Figure("agencies", "參與機關", volume.agencies, "個"),
        ),
        has_records=bool(volume.sent or volume.signed or volume.refused),
    )


def signed_rate(period: Period) -> Decimal | None:
    return _signed_rate(selectors.volume(period.start, period.end))


SECTIONS = (Section("exchange.volume", chapter="二", order=15, compute=exchange_volume),)
INDICATORS = (Indicator(SIGNED_RATE, "電子交換公文簽收比率", "%", signed_rate),)
