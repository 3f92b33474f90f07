"""The rows of the countries table (templates/casestudies/country_list.html).

Written in Python: through the template, sixty rows (six cells, a membership cell with four
branches, a `reverse` for each link) cost about 4 ms of the page. The markup is what the
template's loop wrote.
"""

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from casestudies.models import Country
from exchange.core import reference_names
from exchange.core.markup import blocktranslated, format_markup, translated
from exchange.templatetags.languages import country_name

register = template.Library()

ROW = (
    "\n      <tr>\n"
    '        <th scope="row"><a href="{url}">{name}</a></th>\n'
    "        <td>{region}</td>\n"
    "        <td>{income_group}</td>\n"
    "        <td>{membership}</td>\n"
    '        <td class="num">{commitments}</td>\n'
    '        <td class="num">{case_studies}</td>\n'
    "      </tr>\n    "
)


class _Membership:
    """A country's OGP membership, as the table's membership cell says it."""

    def __init__(self):
        self.withdrew = translated(gettext("Withdrew"))
        self.yes = translated(gettext("Yes"))
        self.joined = gettext("Joined %(year)s")
        self.source = translated(gettext("Source: OGP"))

    def cell(self, country) -> SafeString:
        status = country.ogp_status
        if status == "withdrawn":
            said = self.withdrew
        elif country.ogp_member:
            year = country.ogp_year_joined
            said = blocktranslated(self.joined, year=localize(year)) if year else self.yes
            if status and status != "active":
                label = reference_names.ogp_status_name(country.get_ogp_status_display())
                said = format_markup("{} ({})", said, label.lower())
        else:
            said = "—"
        if status and country.ogp_source_url:
            return format_markup(
                '{} <a class="small" href="{}" rel="external">{}</a>',
                said,
                country.ogp_source_url,
                self.source,
            )
        return said


@register.simple_tag
def country_rows(countries) -> SafeString:
    """A table row for each of `countries` (annotated with their commitment and case study
    counts)."""
    membership = _Membership()
    not_classified = translated(gettext("Not classified"))
    country_url = Country.url_for_each()
    rows = []
    for country in countries:
        income_group = country.income_group
        rows.append(
            format_markup(
                ROW,
                url=country_url(country.iso3),
                name=country_name(country),
                region=reference_names.region_name(country.region or ""),
                income_group=(
                    reference_names.income_group_name(income_group)
                    if income_group
                    else not_classified
                ),
                membership=membership.cell(country),
                commitments=localize(country.commitment_count),
                case_studies=localize(country.case_study_count),
            )
        )
    return SafeString("".join(rows))
