"""allauth's account adapter and login form, where Samskab's sign-in differs from allauth's. Apart from
`accounts.forms`, which allauth imports for the sign-up form: this module imports allauth's forms."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.models import EmailAddress

CONFIRMED_EMAIL = "confirmed_email"  # session key: the address just confirmed, for the login form to fill in


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """Someone who confirms their address in another browser than the one they signed up in (the email opened
        on their phone) lands on the login page: with the address they just confirmed filled in."""
        if not self.request.user.is_authenticated:
            self.request.session[CONFIRMED_EMAIL] = email_address.email
        return super().get_email_verification_redirect_url(email_address)


class LoginForm(AllauthLoginForm):
    """allauth's, with the address filled in that was just confirmed in this browser (`AccountAdapter`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.fields["login"].initial = self.request.session.get(CONFIRMED_EMAIL)
