"""The e-mails: plain text and simple HTML, each saying why it was sent and how to change
what you get, with links to the site's real address (SENDPLAN_SITE_URL)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .digests import Digest, Kind


def absolute(path: str) -> str:
    return settings.SENDPLAN_SITE_URL + path


def _subject(digest: Digest) -> str:
    count = len({item.action.pk for item in digest.items})
    actions = f"{count} action{'s' if count != 1 else ''}"
    if digest.kind == Kind.REMINDERS:
        summary = ", ".join(f"{len(items)} {label.lower()}" for label, items in digest.sections())
        return f"Your SEND actions: {summary}"
    if digest.kind == Kind.ESCALATIONS:
        return f"SEND action plan: {actions} need a plan admin's attention"
    meeting = digest.round.meeting
    when = f"{meeting.board.name} on {meeting.date.day} {meeting.date:%B %Y}"
    if digest.kind == Kind.ROUND_REQUEST:
        return f"Please update {actions} before the {when}"
    return f"Reminder: {actions} still need your update before the {when}"


def digest_message(digest: Digest, *, connection=None) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "recipient": digest.recipient,
        "sections": [
            (
                label,
                [
                    {
                        "item": item,
                        "action": item.action,
                        "update_url": absolute(reverse("actions:update", args=[item.action.pk])),
                        "action_url": absolute(reverse("actions:detail", args=[item.action.pk])),
                    }
                    for item in items
                ],
            )
            for label, items in digest.sections()
        ],
        "round": digest.round,
        "preferences_url": absolute(reverse("reminders:preferences")),
        "site_url": settings.SENDPLAN_SITE_URL,
        "cadence_days": settings.SENDPLAN_REMINDER_CADENCE_DAYS,
        "escalate_after_days": settings.SENDPLAN_ESCALATE_AFTER_DAYS,
    }
    template = f"reminders/email/{digest.kind}"
    message = EmailMultiAlternatives(
        subject=_subject(digest),
        body=render_to_string(f"{template}.txt", context),
        to=[digest.recipient.email],
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
