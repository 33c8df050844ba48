from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "samskab.actors"
    label = "actors"
    verbose_name = _("Actors")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the SQLite search tables in step)
