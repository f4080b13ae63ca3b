import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from secretariat.core import audit
from secretariat.core.tasks import run_due_jobs

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "每日排程：於設定時間將每日工作排入背景佇列（可多個同時執行，同一天只排一次）；"
        "並定時將稽核鏈的鏈頭寫入資料庫外的查核點檔。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="檢查一次後結束")
        parser.add_argument("--interval", type=int, default=60, help="檢查間隔秒數")

    def handle(self, *args, once=False, interval=60, **options):
        # SIGTERM or Ctrl-C (`secretariat serve` stopping) ends the wait between two rounds,
        # never a round halfway, and without a traceback.
        stopping = threading.Event()
        previous = {} if once else {s: signal.signal(s, self._stop(stopping)) for s in STOP_SIGNALS}
        try:
            checkpoint_due = 0.0
            while not stopping.is_set():
                for name in run_due_jobs():
                    self.stdout.write(f"已排入每日工作：{name}")
                # The checkpoint file is on this server's disk, so the scheduler (which runs
                # beside the app) writes it here rather than through a job on any worker.
                if time.monotonic() >= checkpoint_due:
                    audit.write_checkpoint()
                    checkpoint_due = time.monotonic() + settings.AUDIT_CHECKPOINT_SECONDS
                if once:
                    return
                stopping.wait(interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    @staticmethod
    def _stop(stopping: threading.Event):
        return lambda _signum, _frame: stopping.set()
