from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "secretariat.petitions"
    label = "petitions"
    verbose_name = "人民陳情"

    def ready(self) -> None:
        from secretariat.cases import kinds
        from secretariat.core.modules import (
            NavItem,
            PublicService,
            register_demo,
            register_nav,
            register_public_service,
        )
        from secretariat.petitions import reports, selectors, services
        from secretariat.petitions.demo import load_demo
        from secretariat.reports.registry import register_section

        kinds.register(
            kinds.CaseKind(
                code=services.KIND,
                label="人民陳情",
                prefix="陳",
                reply_days=6,
                channels=frozenset(services.ALL_CHANNELS),
                validate=services.validate_petition,
                create=services.create_petition,
                on_replied=services.mail_replies,
                on_merged=services.mail_merged,
                facts=selectors.case_facts,
            )
        )
        from secretariat.petitions import history

        history.register()
        register_nav(
            NavItem(
                "petitions",
                "陳情收件",
                "petitions:intake",
                order=20,
                visible=services.routes_petitions,
            )
        )
        register_public_service(
            PublicService(
                "petition",
                "我要陳情",
                "petitions:submit",
                "向市長提出陳情、建議或申訴。送出後取得案件編號及查詢密碼，可隨時查詢辦理情形。",
                order=10,
            )
        )
        register_public_service(
            PublicService(
                "petition_status",
                "案件查詢",
                "petitions:status",
                "以案件編號及查詢密碼，查看陳情案件的辦理進度、預計回復日期及各機關的回復。",
                order=20,
            )
        )
        register_demo("petitions", "人民陳情示範案件", load_demo)
        for section in reports.SECTIONS:
            register_section(section)
        from secretariat.core import importing
        from secretariat.petitions.importers import PetitionImporter

        importing.register(PetitionImporter)
