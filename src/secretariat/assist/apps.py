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

        from secretariat.assist.services import DocumentsAssistant
        from secretariat.documents import assistance

        assistance.install(DocumentsAssistant())
        register_daily("assist.retrain", RETRAIN_AT, retrain_task.enqueue)

        from secretariat.assist.tasks import embed_new_cases
        from secretariat.cases.services import case_opened, cases_imported

        def opened(sender, case, **kwargs):
            embed_new_cases([case])

        def imported(sender, cases, **kwargs):
            embed_new_cases(cases)

        case_opened.connect(opened, weak=False, dispatch_uid="assist:embed")
        cases_imported.connect(imported, weak=False, dispatch_uid="assist:embed")
