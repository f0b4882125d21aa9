"""`{{ event.description|event_text }}`: a tracking event's description in the page's language."""

from django import template

from logistics import event_text as texts

register = template.Library()


@register.filter
def event_text(text: str) -> str:
    return texts.event_text(text)
