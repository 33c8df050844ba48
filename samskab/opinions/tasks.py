from django.tasks import task

from .models import Conversation


@task()
def recompute_opinion_map(conversation_id: int) -> None:
    """Recompute a conversation's opinion map; voting never waits for this."""
    from .services import compute_map

    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is not None:
        compute_map(conversation)
