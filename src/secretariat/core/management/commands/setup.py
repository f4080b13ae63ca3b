"""`secretariat setup`: the reference data every installation needs (the agency registry, the
routing keyword table's seed …), without any demo account or record. Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from secretariat.core import modules
from secretariat.core.errors import DomainError


class Command(BaseCommand):
    help = "載入基本資料（機關名錄、分辦關鍵字種子等），不建立示範帳號與資料；可重複執行。"

    def handle(self, *args, **options):
        try:
            done = modules.load_setup()
        except DomainError as error:
            raise CommandError(error.message) from error
        for label, result in done:
            self.stdout.write(f"{label}：{result}")
