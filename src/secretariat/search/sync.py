"""Keeping the index in step: a watched model's save or delete re-indexes its records inside the
same transaction (the signal runs inside the service's ``transaction.atomic``)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def connect(source) -> None:
    for watch in source.watches:

        def changed(sender, instance, raw=False, _watch=watch, **kwargs) -> None:
            if raw:  # loading fixtures: `secretariat search reindex` afterwards
                return
            from secretariat.search import services

            services.index_records(source.key, _watch.records(instance))

        uid = f"search:{source.key}:{watch.model._meta.label}"
        post_save.connect(changed, sender=watch.model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(changed, sender=watch.model, weak=False, dispatch_uid=uid + ":delete")
