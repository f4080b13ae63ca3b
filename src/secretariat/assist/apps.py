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
