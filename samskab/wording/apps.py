from django.apps import AppConfig


class WordingConfig(AppConfig):
    """Danish wording for third-party screens (login, password, email): listed before those apps in
    INSTALLED_APPS, its catalogue replaces their translations where ours read better, e.g. "adgangskode" for
    allauth's "password"."""

    name = "samskab.wording"
    verbose_name = "Wording"
