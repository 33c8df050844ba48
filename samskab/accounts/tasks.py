from django.tasks import task


@task()
def email_notifications(notification_ids: list[int]) -> None:
    from .notifications import email_immediate

    email_immediate(notification_ids)


@task()
def email_digests() -> None:
    from .notifications import send_digests

    send_digests()
