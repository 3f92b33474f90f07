"""Widgets for the case-study editor: linked commitments and grouped themes.

Both replace form fields that drew every row of a table into the page (558 commitments
in a multi-select that one plain click cleared, 85 theme checkboxes in a flat list).
They work without JavaScript: the commitments of the case study's country and those
already linked are checkboxes; with JavaScript, "Find commitments" opens the chooser
(on the country picked in the same form) and a box filters the themes as one types.

This module imports model modules, not the `casestudies.models` package: the page
model imports it while that package is still loading.
"""

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.admin.panels import FieldPanel

from casestudies.models.commitments import Commitment
from casestudies.models.reference import Theme

EDITOR_JS = "casestudies/admin/editor-choosers.js"
EDITOR_CSS = {"all": ["casestudies/admin/editor-choosers.css"]}


def irm_ratings(commitment: Commitment) -> str:
    """One line of the IRM's verdict, "Not assessed" where it gave none (never a zero)."""
    not_assessed = gettext("Not assessed")
    parts = [
        gettext("Potential impact: %(rating)s")
        % {"rating": commitment.get_potential_impact_display() or not_assessed},
        gettext("Completion: %(rating)s")
        % {"rating": commitment.get_completion_display() or not_assessed},
    ]
    if commitment.starred:
        parts.append(gettext("★ Starred"))
    return " · ".join(parts)


class ProjectTemplateMixin:
    """Render with the project's template engine, so the template lives in templates/.

    Django's default form renderer only looks in the apps' own template folders.
    """

    def render(self, name, value, attrs=None, renderer=None):
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


def _pks(values) -> list[int]:
    """The integer ids among `values` (ids, model instances or posted strings)."""
    pks = []
    for value in values or ():
        value = getattr(value, "pk", value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            pks.append(int(value))
    return pks


class CommitmentsWidget(ProjectTemplateMixin, forms.Widget):
    """Linked commitments as checkboxes with their ratings, plus the chooser to add more.

    `country_id` (set per form by `CommitmentsPanel`) adds that country's commitments as
    unticked boxes, so an editor without JavaScript can still link them.
    """

    template_name = "casestudies/admin/commitments_widget.html"
    allow_multiple_selected = True
    country_field_id = "id_country"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.country_id = None

    @property
    def media(self):
        return forms.Media(js=["wagtailadmin/js/chooser-modal.js", EDITOR_JS], css=EDITOR_CSS)

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # no box ticked means no commitment, as for any checkbox list

    def format_value(self, value):
        return [str(pk) for pk in _pks(value)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = set(_pks(value))
        offered = Q(pk__in=chosen)
        if self.country_id:
            offered |= Q(country_id=self.country_id)
        commitments = (
            Commitment.objects.none()
            if not (chosen or self.country_id)
            else Commitment.objects.filter(offered)
            .select_related("country")
            .only(
                "identifier",
                "title",
                "plan_start_year",
                "plan_end_year",
                "potential_impact",
                "completion_midterm",
                "completion_end_of_term",
                "starred",
                "country__name",
            )
        )
        rows = [
            {
                "pk": commitment.pk,
                "label": str(commitment),
                "meta": f"{commitment.country.name}, {commitment.action_plan_label}",
                "ratings": irm_ratings(commitment),
                "checked": commitment.pk in chosen,
            }
            for commitment in commitments
        ]
        rows.sort(key=lambda row: not row["checked"])  # linked ones first, then the rest
        context["widget"].update(
            rows=rows,
            chooser_url=reverse("wagtailsnippetchoosers_casestudies_commitment:choose"),
            country_field_id=self.country_field_id,
            has_country=bool(self.country_id),
        )
        return context


class CommitmentsPanel(FieldPanel):
    """The commitments field, told which country the case study is about."""

    def __init__(self, field_name="commitments", **kwargs):
        kwargs.setdefault("widget", CommitmentsWidget)
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.bound_field is None:
                return
            form = self.form
            if form.is_bound:
                country = form.data.get(form.add_prefix("country"))
            else:
                country = form.initial.get("country") or form.instance.country_id
            country_ids = _pks([country])
            self.bound_field.field.widget.country_id = country_ids[0] if country_ids else None


class GroupedThemesWidget(ProjectTemplateMixin, forms.CheckboxSelectMultiple):
    """Theme checkboxes grouped by their parent policy area, with a filter box (JS).

    A top-level area with sub-themes heads its own group; areas without any are
    listed together under "Other policy areas".
    """

    template_name = "casestudies/admin/grouped_themes_widget.html"

    @property
    def media(self):
        return forms.Media(js=[EDITOR_JS], css=EDITOR_CSS)

    def optgroups(self, name, value, attrs=None):
        chosen = {str(pk) for pk in value}
        themes = list(Theme.objects.only("pk", "name", "parent_id").order_by("name"))
        children: dict[int, list[Theme]] = {}
        for theme in themes:
            if theme.parent_id:
                children.setdefault(theme.parent_id, []).append(theme)
        groups, others = [], []
        for theme in themes:
            if theme.parent_id:
                continue
            if theme.pk in children:
                groups.append((theme.name, [theme, *children[theme.pk]]))
            else:
                others.append(theme)
        if others:
            groups.append((gettext("Other policy areas"), others))

        optgroups, index = [], 0
        for group_name, members in groups:
            options = []
            for theme in members:
                options.append(
                    self.create_option(
                        name,
                        str(theme.pk),
                        theme.name,
                        str(theme.pk) in chosen,
                        index,
                        attrs=attrs,
                    )
                )
                index += 1
            optgroups.append((group_name, options, index))
        return optgroups
