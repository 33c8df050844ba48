"""Reading a conversation's pages and voting on its card, as the conversation tests do it."""

from django.test import Client
from django.urls import reverse

from samskab.opinions.models import Conversation, Statement


def text(response: object) -> str:
    """The page as one line, runs of whitespace collapsed."""
    return " ".join(response.content.decode().split())  # type: ignore[attr-defined]


def main(response: object) -> str:
    page = text(response)
    return page[page.index("<main") : page.index("</main>")]


def card(response: object) -> str:
    """The vote card of a conversation page."""
    page = text(response)
    start = page.index('<section id="vote-card"')
    return page[start : page.index("</section>", start)]


def vote(client: Client, conversation: Conversation, statement: Statement, value: int = 1) -> object:
    return client.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": statement.pk, "value": value})
