from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "samskab.partnerships"
    label = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Answer the actor's page, the personal-data download, attach calendar files to meeting emails, and tell
        # whoever takes over an actor of the invitations waiting for it.
        from . import actor_page, ical, personal_data  # noqa: F401
        from .services import notify  # noqa: F401
