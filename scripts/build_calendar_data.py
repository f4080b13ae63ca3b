"""Build the bundled government office calendar (行政機關辦公日曆表) for the years the
``taiwan-holidays`` package does not ship: ``src/secretariat/core/data/office_calendar.json``.

The facts come from the ``holidays`` package's Taiwan calendar (its public holidays with the
observed days off (補假), the substituted days off (調整放假) and their make-up workdays (補班),
checked by its authors against the 行政院人事行政總處 calendars). The file keeps only the days that
differ from the weekend rule: weekdays off and weekend workdays.

Before writing, the script compares the ``holidays`` calendar with every year ``taiwan-holidays``
ships (the published CSVs, 民國108 onwards) and refuses to write if a single day disagrees: that
agreement is the evidence that the way this script reads ``holidays`` reproduces the office
calendar.

    .venv/bin/pip install -c constraints.txt -e '.[calendar-data]'
    .venv/bin/python scripts/build_calendar_data.py          # write the file
    .venv/bin/python scripts/build_calendar_data.py --check  # exit 1 if the file is stale

See docs/calendar.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from importlib.metadata import version
from pathlib import Path

import holidays
from holidays.constants import PUBLIC

from secretariat.core import workdays

FIRST_YEAR = 2006  # 民國95
OUTPUT = Path(__file__).resolve().parents[1] / "src/secretariat/core/data/office_calendar.json"
# The names the published calendar uses where ``holidays`` words them differently.
PUBLISHED_NAMES = {"中華民國開國紀念日": "開國紀念日"}
OBSERVED = "（補假）"
SUBSTITUTED = "放假日（"


def _calendar(years: range) -> holidays.HolidayBase:
    return holidays.country_holidays(
        "TW", years=years, categories=(PUBLIC,), language="zh_TW", observed=True
    )


def _note(names: list[str]) -> str:
    """The 備註 in the published calendar's words: the holiday's name (several joined with 及),
    else 補假 for an observed day off, else 調整放假 for a substituted one."""
    own = [PUBLISHED_NAMES.get(name, name) for name in names if not name.endswith(OBSERVED)]
    own = [name for name in own if not name.startswith(SUBSTITUTED)]
    if own:
        return "及".join(dict.fromkeys(own))
    if any(name.endswith(OBSERVED) for name in names):
        return "補假"
    return "調整放假"


def deviations(calendar: holidays.HolidayBase, year: int) -> tuple[dict, dict]:
    """({weekday off: note}, {weekend workday: 補行上班}) of one year."""
    days_off, workdays_ = {}, {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        weekend = day.weekday() >= 5
        working = calendar.is_working_day(day)
        if weekend and working:
            workdays_[day.isoformat()] = "補行上班"
        elif not weekend and not working:
            days_off[day.isoformat()] = _note(calendar.get_list(day))
        day += dt.timedelta(days=1)
    return days_off, workdays_


def disagreements(calendar: holidays.HolidayBase, years: list[int]) -> list[str]:
    """Days of the published CSVs where ``holidays`` says otherwise (working or not)."""
    published = workdays._csv_calendar()
    found = []
    for day, (working, note) in sorted(published.items()):
        if day.year in years and calendar.is_working_day(day) != working:
            found.append(f"{day} 辦公日曆表：{'上班' if working else '放假'}（{note}）")
    return found


def build() -> dict:
    published_years = sorted({day.year for day in workdays._csv_calendar()})
    last = published_years[-1]
    calendar = _calendar(range(FIRST_YEAR, last + 1))
    differences = disagreements(calendar, published_years)
    if differences:
        raise SystemExit(
            "holidays 與 taiwan-holidays 的辦公日曆表不一致，不產生檔案：\n"
            + "\n".join(differences)
        )
    years = [year for year in range(FIRST_YEAR, last + 1) if year not in published_years]
    days_off: dict[str, str] = {}
    make_up: dict[str, str] = {}
    for year in years:
        off, work = deviations(calendar, year)
        days_off.update(off)
        make_up.update(work)
    return {
        "_comment": (
            "行政院人事行政總處政府行政機關辦公日曆表：taiwan-holidays 套件未收錄的年份。"
            "只列與週末規則不同的日子（平日放假、週末補行上班）。"
            "由 scripts/build_calendar_data.py 產生，請勿手改；說明見 docs/calendar.md。"
        ),
        "generated_from": (
            f"holidays {version('holidays')} (TW, PUBLIC, observed); agrees with every day of "
            f"the {len(published_years)} years taiwan-holidays {version('taiwan-holidays')} ships"
        ),
        "years": years,
        "days_off": days_off,
        "workdays": make_up,
    }


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} 與產生結果不同，請重新執行 scripts/build_calendar_data.py。")
            return 1
        print(f"{args.output} 為最新。")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"已寫入 {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
