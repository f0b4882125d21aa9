"""E-mails people open (issue 19): every message is sent as plain text with an HTML part made
from the same text (escaped, links made clickable, paragraphs kept), so one template per message
serves both and the two never disagree."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import get_language


def mail_send(*, subject: str, text: str, to: list[str]) -> None:
    """Hand one message to the mail backend (raises as `send_mail` does)."""
    html = render_to_string(
        "emails/_layout.html",
        {"subject": subject, "text": text, "language": get_language() or settings.LANGUAGE_CODE},
    )
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()
