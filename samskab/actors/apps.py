from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "samskab.actors"
    label = "actors"
    verbose_name = _("Actors")

    def ready(self) -> None:
        from . import (
            personal_data,  # noqa: F401  (answers the personal-data download and deletion)
            signals,  # noqa: F401  (keeps the SQLite search tables in step)
        )
