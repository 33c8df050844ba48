"""allauth's account adapter, where Samskab's sign-in differs from allauth's."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress

CONFIRMED_EMAIL = "confirmed_email"  # session key: the address just confirmed, for the login form to fill in


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """Someone who confirms their address in another browser than the one they signed up in (the email opened
        on their phone) lands on the login page: with the address they just confirmed filled in."""
        if not self.request.user.is_authenticated:
            self.request.session[CONFIRMED_EMAIL] = email_address.email
        return super().get_email_verification_redirect_url(email_address)
