from django.core.management.base import BaseCommand, CommandError

from secretariat.core import audit


class Command(BaseCommand):
    help = "稽核紀錄：verify 重新計算雜湊鏈，發現被修改或刪除的紀錄即失敗。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = audit.verify()
        if not result.ok:
            raise CommandError(f"稽核鏈驗證失敗：{result.problem}（已檢查 {result.checked} 筆）")
        self.stdout.write(f"稽核鏈完整：共 {result.checked} 筆紀錄，雜湊鏈驗證通過。")
