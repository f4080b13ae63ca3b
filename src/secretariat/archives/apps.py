from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "secretariat.archives"
    label = "archives"
    verbose_name = "檔案管理"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from secretariat.archives import models, reports, selectors, services, tasks, use_app
        from secretariat.archives.demo import load_demo
        from secretariat.archives.importers import IMPORTERS
        from secretariat.archives.permissions import signed_in
        from secretariat.core import importing
        from secretariat.core.modules import NavItem, register_demo, register_nav, register_pending
        from secretariat.documents import services as documents
        from secretariat.reports.registry import register_indicator, register_section

        register_nav(
            NavItem(
                "archives",
                "檔案管理",
                "archives:home",
                order=45,
                visible=signed_in,
                section="archives:",
            )
        )
        register_pending("archives", "檔案管理", selectors.pending_for)
        register_demo("archives", "檔案管理示範資料", load_demo)
        documents.document_filed.connect(_filed, dispatch_uid="archives.document_filed")
        for model in (models.Folder, models.Item, models.DestructionEntry):
            pre_delete.connect(
                services.refuse_delete, sender=model, dispatch_uid=f"archives.{model}"
            )
        tasks.register()
        for section in reports.SECTIONS:
            register_section(section)
        for indicator in reports.INDICATORS:
            register_indicator(indicator)
        for importer in IMPORTERS:
            importing.register(importer)
        use_app.ready()  # 數位化、檔案應用、考評


def _filed(sender, document, **kwargs) -> None:
    from secretariat.archives import services

    services.receive_filed_document(document)
