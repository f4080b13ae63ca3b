from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """公文: official documents. For now only the online-signing foundation (``signing``)."""

    name = "secretariat.documents"
    label = "documents"
    verbose_name = "公文"
