from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "secretariat.assist"
    label = "assist"
    verbose_name = "智慧輔助"
