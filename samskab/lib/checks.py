from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_not_the_development_key(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [Error("SECRET_KEY is the development key; set SECRET_KEY in the environment.", id="samskab.E001")]
    return []
