from django.conf import settings
from django.core import checks
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_not_the_development_key(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [Error("SECRET_KEY is the development key; set SECRET_KEY in the environment.", id="samskab.E001")]
    return []


@register(Tags.security, deploy=True)
def site_url_is_the_public_address(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """Emails sent outside a request (invitations, notifications) link to SITE_URL: unset, or not a web address,
    every such link would be unusable, and nothing else would tell."""
    url = settings.SITE_URL
    if not url:
        message = "SITE_URL is not set, so the links in invitations and notifications would lead nowhere."
    elif not url.startswith(("https://", "http://")):
        message = f"SITE_URL is {url!r}, not a web address, so the links in emails would not work."
    else:
        return []
    hint = "Set SITE_URL in the environment to the site's public address, such as https://samskab.example.dk."
    return [Error(message, hint=hint, id="samskab.E002")]


@register("samskab", deploy=True)
def who_answers_for_the_site(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """The privacy page names the data controller and how to reach them, and the footer links to the site's
    accessibility statement, which a Danish public body must publish: unset, the pages would lack both."""
    messages: list[CheckMessage] = []
    if not (settings.PRIVACY_CONTROLLER and settings.PRIVACY_CONTACT):
        messages.append(
            checks.Warning(
                "PRIVACY_CONTROLLER or PRIVACY_CONTACT is not set, so the privacy page names nobody responsible for "
                "the personal data.",
                hint="Set PRIVACY_CONTROLLER (such as Egeå Kommune) and PRIVACY_CONTACT (an email address or web "
                "address of the data protection officer) in the environment.",
                id="samskab.W001",
            )
        )
    if not settings.ACCESSIBILITY_STATEMENT_URL:
        messages.append(
            checks.Warning(
                "ACCESSIBILITY_STATEMENT_URL is not set, so no page links to the site's accessibility statement.",
                hint="Publish the statement with the Agency for Digital Government's WAS-tool and set its address.",
                id="samskab.W002",
            )
        )
    return messages
