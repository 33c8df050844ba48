from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "samskab.partnerships"
    label = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Answer the actor's page, the personal-data download, and attach calendar files to meeting emails.
        from . import actor_page, ical, personal_data  # noqa: F401
