from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


def _forget_tokens_of_an_emptied_index(sender, using, **kwargs) -> None:
    """`flush` empties the index table but not an engine's separate token index (tantivy's
    directory, SQLite's FTS5 table): with no document left, no token may be left either."""
    from django.db import connections

    from secretariat.search import backends
    from secretariat.search.models import SearchDocument

    connection = connections[using]
    if backends.TABLE not in connection.introspection.table_names():
        return
    if not SearchDocument.objects.using(using).exists():
        backends.backend_for(connection.vendor).clear(using)
        if backends.backend().name == "tantivy":
            backends.backend().clear(using)
    elif backends.backend().name == "tantivy" and using == "default":
        # An upgrade to a new index schema (a new, empty directory): built from the rows.
        from secretariat.search import tantivy_index

        tantivy_index.build_if_new()


class SearchConfig(AppConfig):
    name = "secretariat.search"
    label = "search"
    verbose_name = "全文檢索"

    def ready(self) -> None:
        from secretariat.search.checks import index_in_step

        post_migrate.connect(_forget_tokens_of_an_emptied_index, sender=self)
        checks.register(index_in_step, checks.Tags.database)
