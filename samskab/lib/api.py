from ninja import Schema


class Message(Schema):
    """An API refusal: 403 (not allowed), 404, or 422 (the input cannot be accepted), with the reason."""

    detail: str
