"""QuickSelect (exchange.core.widgets) draws the listings' filter menus in Python: what a
reader's browser and assistive technology get must stay exactly what Django's own select
draws, whatever the options hold."""

import pytest
from django import forms

from exchange.core.widgets import QuickSelect

CHOICES = [
    ("", "All regions"),
    ("Latin America & Caribbean", "Amérique latine & <Caraïbes>"),
    ("Europe", [("FRA", "France"), ("IRL", 'Ireland "IE"')]),
    (3, "Three"),
]


@pytest.mark.parametrize("value", [None, "", "Latin America & Caribbean", "IRL", 3, "not-offered"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_region", "required": True, "disabled": False, "data-x": "<&>"}]
)
def test_quick_select_draws_what_djangos_select_draws(value, attrs):
    django_select = forms.Select(choices=CHOICES).render("region", value, attrs)
    quick_select = QuickSelect(choices=CHOICES).render("region", value, attrs)
    assert quick_select == django_select
    assert "&lt;Caraïbes&gt;" in quick_select


@pytest.mark.django_db
def test_the_listing_filters_draw_with_quick_select():
    from casestudies.filters import CaseStudyFilter
    from casestudies.models import CaseStudyPage

    form = CaseStudyFilter(queryset=CaseStudyPage.objects.none()).form
    assert isinstance(form.fields["status"].widget, QuickSelect)
    assert not isinstance(form.fields["q"].widget, QuickSelect)
