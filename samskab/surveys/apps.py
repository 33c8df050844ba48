from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "samskab.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from . import personal_data  # noqa: F401  (answers the personal-data download and deletion)
