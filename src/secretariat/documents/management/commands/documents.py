from django.core.management.base import BaseCommand, CommandError

from secretariat.documents import secrecy, services


class Command(BaseCommand):
    help = (
        "公文：verify 驗證所有公文的數位簽章（與每夜的查核相同），有異常即失敗並列出公文與簽核點；"
        "new-master-key 產生機密文書的主金鑰（加在 DOCUMENTS_MASTER_KEYS 最前面）；"
        "rewrap 以最新的主金鑰重新封裝每件機密文書的資料金鑰（輪替主金鑰後執行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "new-master-key", "rewrap"])

    def handle(self, *args, action: str, **options):
        if action == "new-master-key":
            self.stdout.write(secrecy.new_master_key())
            return
        if action == "rewrap":
            count = services.rewrap_data_keys()
            self.stdout.write(f"已重新封裝 {count} 件機密文書的資料金鑰。")
            return
        run = services.verify_all()
        for problem in run.problems.select_related("document", "point"):
            self.stdout.write(
                f"{problem.document.reference} 簽核點#{problem.point_id}"
                f"（{problem.point.get_step_display()}）：{problem.problem}"
            )
        if run.broken:
            raise CommandError(f"驗章：{run.checked} 個簽章中有 {run.broken} 個異常。")
        self.stdout.write(f"驗章：{run.checked} 個簽章均正確。")
