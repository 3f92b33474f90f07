"""The country menu of the "find my peers" form (templates/includes/peer_form.html)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def country_options(countries, chosen) -> str:
    """An `<option>` for each (ISO3, name) pair, `chosen` selected.

    Written in Python: a template loop over some 220 countries cost 2-3 ms on each uncached
    theme, country and peers page.
    """
    return mark_safe(
        "".join(
            f'<option value="{conditional_escape(iso3)}"{" selected" if iso3 == chosen else ""}>'
            f"{conditional_escape(name)}</option>"
            for iso3, name in countries
        )
    )
