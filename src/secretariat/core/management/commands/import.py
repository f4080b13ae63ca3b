from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from secretariat.core import importing


class Command(BaseCommand):
    help = (
        "匯入歷史資料：secretariat import <類型> <檔案>（CSV UTF-8 或 XLSX）。"
        "任何一列有誤即不匯入，並列出每個問題。格式見 docs/import.md。"
    )

    def add_arguments(self, parser):
        parser.add_argument("type", choices=sorted(importing.IMPORTERS), help="匯入類型")
        parser.add_argument("file", help="CSV（UTF-8）或 XLSX 檔案")

    def handle(self, *args, **options):
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"無法讀取檔案 {options['file']}：{error.strerror}") from error
        outcome = importing.run_import(options["type"], data)
        if not outcome.ok:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            raise CommandError(outcome.summary())
        for note in outcome.notes:
            self.stdout.write(note)
        self.stdout.write(outcome.summary())
