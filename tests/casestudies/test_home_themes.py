"""The home page lists policy areas with commitments, never "0 commitments"."""

import pytest

from casestudies.models import Theme
from exchange.models import top_themes

pytestmark = pytest.mark.django_db


def test_top_themes_leave_out_areas_without_commitments(real_data):
    empty = Theme.objects.create(name="Area without commitments (test)", slug="empty-area-test")

    listed = top_themes()

    assert empty.name not in {theme["name"] for theme in listed}
    assert listed and all(theme["count"] > 0 for theme in listed)
