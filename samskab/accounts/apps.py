from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samskab.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from samskab.lib import checks  # noqa: F401  (registers the deploy checks)
        from samskab.lib.models import refuse_overlong_text

        pre_save.connect(refuse_overlong_text, dispatch_uid="samskab-text-limits")
