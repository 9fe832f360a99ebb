from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Nieuws"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        from . import search_index, signals

        signals.connect()
        search_index.connect()
        # django-axes names its app by its label only; editors see it in the admin's index.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = "Inlogbeveiliging"
