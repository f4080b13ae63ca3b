"""secretariat report --period 114H1 --format odt --output 工作報告.odt"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from secretariat.core.roc import RocDateError, parse_period
from secretariat.reports.render import FORMATS
from secretariat.reports.selectors import build_report

# Exit status for a bad option value, as argparse uses for a bad option.
USAGE_ERROR = 2
# Formats that are text and may go to the terminal or a pipe.
TEXT_FORMATS = {"json", "html"}


class Command(BaseCommand):
    help = (
        "產製工作報告：secretariat report --period 114H1 --format odt --output 報告.odt。"
        "JSON 與 HTML 未指定 --output（或為 -）時輸出至標準輸出。格式說明見 docs/reports.md。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            required=True,
            help="期間：114H1、114H2、114、114年上半年、114年1月至3月、114年1月1日至3月31日",
        )
        parser.add_argument(
            "--format", choices=sorted(FORMATS), default="json", help="格式（預設 json）"
        )
        parser.add_argument("--output", default="-", help="輸出檔案；- 為標準輸出（僅 JSON、HTML）")

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
        except RocDateError as error:
            raise CommandError(f"--period 無法辨識：{error}", returncode=USAGE_ERROR) from error
        fmt, output = FORMATS[options["format"]], options["output"]
        if output == "-" and fmt.code not in TEXT_FORMATS:
            raise CommandError(
                f"{fmt.code.upper()} 為二進位檔，請以 --output 指定檔案。", returncode=USAGE_ERROR
            )
        content = fmt.render(build_report(period))
        if output == "-":
            self.stdout.write(content.decode(), ending="")
            return
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"無法寫入 {output}：{error.strerror}") from error
        # The path goes to stderr so that stdout stays the report's alone.
        sys.stderr.write(f"已產製{period.label}工作報告（{fmt.code.upper()}）：{output}\n")
