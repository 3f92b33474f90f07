"""The fixed part of the page tree: home page and section index pages."""

from django.db import transaction
from wagtail.models import Page, Site

from casestudies.models import CaseStudyIndexPage
from exchange.models import HomePage
from learning.models import CourseIndexPage, FellowshipIndexPage

HOME_INTRO = (
    "Find the countries that already did the reform you want, see what happened according "
    "to the Independent Reporting Mechanism, and learn from the people who did it."
)


@transaction.atomic
def ensure_page_tree() -> HomePage:
    """Create the home page and the case study, course and fellowship indexes if missing.

    Idempotent.
    """
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's migrations create a placeholder "Welcome" page at the `home` slug.
        for placeholder in root.get_children().filter(slug="home").exact_type(Page):
            placeholder.delete()
            root.refresh_from_db()
        home = root.add_child(
            instance=HomePage(
                title="Learn from peers who did the reform", slug="home", intro=HOME_INTRO
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Reform Exchange",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Reform Exchange"
        site.save()
    if not CaseStudyIndexPage.objects.exists():
        index = home.add_child(
            instance=CaseStudyIndexPage(
                title="Case studies",
                slug="case-studies",
                intro="Reforms told by the people who did them: what was done, what it "
                "achieved, what got in the way, and what peers can learn.",
            )
        )
        index.save_revision().publish()
    if not CourseIndexPage.objects.exists():
        courses = home.add_child(
            instance=CourseIndexPage(
                title="Courses",
                slug="courses",
                intro="Short courses built on the real experience of reformers: what worked, "
                "what got in the way, and how the IRM rated it.",
            )
        )
        courses.save_revision().publish()
    if not FellowshipIndexPage.objects.exists():
        fellowships = home.add_child(
            instance=FellowshipIndexPage(
                title="Fellowships",
                slug="fellowships",
                intro="Placements with a host institution that did the reform you are working "
                "on: weeks of working alongside the people who made it happen.",
            )
        )
        fellowships.save_revision().publish()
    return home
