from django.core.management.base import BaseCommand, CommandError

from secretariat.core import audit, audit_keys


class Command(BaseCommand):
    help = (
        "稽核紀錄：verify 以金鑰重新計算雜湊鏈並比對資料庫外的查核點，發現被修改、刪除或重算的"
        "紀錄即失敗，通過後寫入新的查核點；checkpoint 立即寫入查核點；rotate-key 產生新金鑰"
        "（舊金鑰保留以驗證舊紀錄）；accept-restore 於還原資料庫備份後，確認還原的稽核鏈"
        "與查核點相符並記錄此次還原。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action", choices=["verify", "checkpoint", "rotate-key", "accept-restore"]
        )

    def handle(self, *args, action: str, **options):
        if action == "rotate-key":
            key_id = audit_keys.rotate()
            self.stdout.write(f"已產生新金鑰 {key_id}，此後的稽核紀錄以它簽章；舊金鑰請勿刪除。")
            self._checkpoint()
            return
        if action == "accept-restore":
            result = audit.accept_restore()
            if not result.ok:
                raise CommandError(f"還原後的稽核鏈與查核點不符：{result.problem}")
            self.stdout.write(
                f"已記錄還原：稽核鏈自第 {result.checked} 筆之後的查核點不再適用（仍保留在檔中）。"
            )
            return
        if action == "checkpoint":
            self._checkpoint()
            return
        result = audit.verify()
        if not result.ok:
            raise CommandError(f"稽核鏈驗證失敗：{result.problem}（已檢查 {result.checked} 筆）")
        self.stdout.write(f"稽核鏈完整：共 {result.checked} 筆紀錄，雜湊鏈驗證通過。")
        if result.anchored is not None:
            self.stdout.write(
                f"與查核點相符：最近一次為 {result.anchored.at}（第 {result.anchored.seq} 筆）。"
            )
        self._checkpoint()

    def _checkpoint(self) -> None:
        audit.write_checkpoint()
        latest = audit.latest_checkpoint()
        if latest is not None:
            self.stdout.write(
                f"查核點：第 {latest.seq} 筆，{latest.at.isoformat(timespec='seconds')}"
                f"（{audit.checkpoint_file()}）。"
            )
