import time

from django.core.management.base import BaseCommand

from secretariat.core.tasks import run_due_jobs


class Command(BaseCommand):
    help = "每日排程：於設定時間將每日工作排入背景佇列（可多個同時執行，同一天只排一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="檢查一次後結束")
        parser.add_argument("--interval", type=int, default=60, help="檢查間隔秒數")

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            for name in run_due_jobs():
                self.stdout.write(f"已排入每日工作：{name}")
            if once:
                return
            time.sleep(interval)
