import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from secretariat.core import services
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency, RoleCode, User
from secretariat.core.permissions import SECRETARIAT_CODE


class Command(BaseCommand):
    help = "建立系統管理者帳號（密碼取自 --password、環境變數 SECRETARIAT_ADMIN_PASSWORD 或互動輸入）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None)
        parser.add_argument(
            "--agency", default=SECRETARIAT_CODE, help="機關代號（預設 sec 秘書處）"
        )

    @transaction.atomic
    def handle(self, username, email="", password=None, agency=SECRETARIAT_CODE, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"帳號 {username} 已存在。")
        password = (
            password or os.environ.get("SECRETARIAT_ADMIN_PASSWORD") or getpass.getpass("密碼：")
        )
        home = Agency.objects.filter(code=agency).first()
        if home is None:
            raise CommandError(
                f"找不到機關代號 {agency}；請先執行 secretariat setup 載入機關名錄。"
            )
        try:
            person = services.create_person(
                by=None,
                username=username,
                password=password,
                agency=home,
                email=email,
                display_name="系統管理者",
                roles=[RoleCode.SYSTEM_ADMIN],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        person.is_staff = person.is_superuser = True
        person.save(update_fields=["is_staff", "is_superuser"])
        self.stdout.write(f"已建立系統管理者 {username}。")
