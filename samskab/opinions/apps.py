from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "samskab.opinions"
    label = "opinions"
    verbose_name = _("Opinion maps")

    def ready(self) -> None:
        from . import (
            personal_data,  # noqa: F401  (answers the personal-data download and deletion)
            services,  # noqa: F401  (adopts the problem definition when its proposal passes)
        )
