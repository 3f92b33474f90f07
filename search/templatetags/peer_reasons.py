from django import template

from search.reasons import say

register = template.Library()


@register.filter
def reason_text(reason) -> str:
    """A peer's reason in the reader's language: {{ reason|reason_text }}."""
    return say(reason)
