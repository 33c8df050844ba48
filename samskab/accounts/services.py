from django.db import transaction
from django.utils import timezone

from .models import ApiToken, User


@transaction.atomic
def create_api_token(*, user: User, label: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its key; only the key's hash is kept."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, label=label, key_hash=ApiToken.hash_key(key), prefix=key[3:9])
    return token, key


def revoke_api_token(*, user: User, token_id: int) -> bool:
    """Delete one of the user's own API keys; False if they have no key with that id."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def user_for_api_key(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
