from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "secretariat.assist"
    label = "assist"
    verbose_name = "智慧輔助"

    def ready(self) -> None:
        from secretariat.assist.suggester import LearnedSuggester
        from secretariat.assist.tasks import RETRAIN_AT, retrain_task
        from secretariat.cases import suggest
        from secretariat.core.tasks import register_daily

        suggest.set_suggester(LearnedSuggester())
        register_daily("assist.retrain", RETRAIN_AT, retrain_task.enqueue)

        from django.db.models.signals import post_save

        from secretariat.assist.tasks import embed_new_cases
        from secretariat.cases.models import Case
        from secretariat.cases.services import cases_imported

        def registered(sender, instance, created, **kwargs):
            if created:
                embed_new_cases([instance])

        def imported(sender, cases, **kwargs):
            embed_new_cases(cases)

        post_save.connect(registered, sender=Case, weak=False, dispatch_uid="assist:embed")
        cases_imported.connect(imported, sender=Case, weak=False, dispatch_uid="assist:embed")
